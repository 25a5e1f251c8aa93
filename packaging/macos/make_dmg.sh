#!/usr/bin/env bash
# Build "Missend Guard.app", sign it, wrap it in a .dmg, notarise and staple (macOS only).
#   packaging/macos/make_dmg.sh                 # unsigned .dmg (for testing on your own Mac)
#   SIGN_ID="Developer ID Application: Example Co., Ltd. (TEAMID1234)" \
#   NOTARY_PROFILE=missend-guard packaging/macos/make_dmg.sh   # signed + notarised
# NOTARY_PROFILE is a keychain profile made once with:
#   xcrun notarytool store-credentials missend-guard --apple-id it@example.co.jp --team-id TEAMID1234
# (it asks for an app-specific password of that Apple ID). See packaging/README.md, "macOS signing".
set -euo pipefail
cd "$(dirname "$0")/../.."

python3 packaging/build.py --smoke
APP="dist/Missend Guard.app"
VERSION=$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
DMG="dist/MissendGuard-${VERSION}.dmg"

if [ -n "${SIGN_ID:-}" ]; then
    # Hardened runtime is required for notarisation; sign inside-out (libraries, then the app).
    find "$APP/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
        xargs -0 codesign --force --timestamp --options runtime \
            --entitlements packaging/macos/entitlements.plist --sign "$SIGN_ID"
    codesign --force --timestamp --options runtime \
        --entitlements packaging/macos/entitlements.plist --sign "$SIGN_ID" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
fi

STAGE=$(mktemp -d)
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"   # drag-to-install
rm -f "$DMG"
hdiutil create -volname "Missend Guard" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
rm -rf "$STAGE"

if [ -n "${SIGN_ID:-}" ]; then
    codesign --force --timestamp --sign "$SIGN_ID" "$DMG"
    if [ -n "${NOTARY_PROFILE:-}" ]; then
        xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
        xcrun stapler staple "$DMG"
        spctl --assess --type open --context context:primary-signature --verbose "$DMG"
    fi
fi
echo "built $DMG"
