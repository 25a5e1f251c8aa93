"""`missend-guard account add|list|remove|test` and `missend-guard relay-password`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.secrets import Secrets
    from missend_guard.storage.settings.store import Account, SettingsStore
    from missend_guard.transports.senders.graph.auth import GraphAuth

ACTIONS = ("add", "list", "remove", "test")
DOCS = "docs/microsoft-365.md"
NO_CLIENT_ID = (
    "a Microsoft 365 account needs --client-id: the Application (client) ID of the app your "
    "organisation registered in Microsoft Entra ID (public client, delegated Mail.Send and "
    f"Mail.ReadWrite). Ask your administrator for it and for the tenant; {DOCS} explains the "
    "registration. Nothing was saved."
)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `account` (one parser, so common options may come anywhere); none for the password."""
    if name == "relay-password":
        return
    parser.add_argument("action", choices=ACTIONS, help="what to do")
    parser.add_argument("name", nargs="?", help="account name (add, remove, test)")
    smtp = parser.add_argument_group("SMTP account (add)")
    smtp.add_argument("--host", help="SMTP server, e.g. smtp.example.co.jp")
    smtp.add_argument("--port", type=int, help="587 (starttls), 465 (ssl)")
    smtp.add_argument("--security", choices=("starttls", "ssl", "none"),
                      help="none only for a server on this computer")
    smtp.add_argument("--username", default="", help="login name (empty: no AUTH)")
    smtp.add_argument("--password-stdin", action="store_true",
                      help="read the password from the first line of stdin instead of a prompt")
    graph = parser.add_argument_group("Microsoft 365 account (add)")
    graph.add_argument("--graph", action="store_true", help="send through Microsoft Graph")
    graph.add_argument("--client-id", default="", help="app registration id")
    graph.add_argument("--tenant", default="organizations", help="tenant id or domain")
    graph.add_argument("--device-code", action="store_true",
                       help="sign in with a code on another device instead of a browser here")
    parser.add_argument("--default", action="store_true", help="use for unmatched senders")
    parser.add_argument("--from", dest="from_addresses", action="append", default=[],
                        metavar="ADDRESS", help="sender address this account sends (repeatable)")


def main(args: argparse.Namespace) -> int:
    """Dispatch; environment problems become one paragraph and exit status 2."""
    from missend_guard.cli import open_paths
    from missend_guard.cli.errors import user_errors

    with user_errors() as status:
        from missend_guard.storage.secrets import Secrets
        from missend_guard.storage.settings.store import SettingsStore

        paths = open_paths(args)
        if args.command == "relay-password":
            print(Secrets().relay_password())
            return 0
        store = SettingsStore(paths)
        handler = {"add": _add, "list": _list, "remove": _remove, "test": _test}[args.action]
        if args.action != "list" and not args.name:
            print(f"missend-guard account {args.action}: an account NAME is needed", file=sys.stderr)
            return 2
        return handler(args, paths, store, Secrets())
    return status[0]


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    return getpass.getpass(f"Password for {args.username} at {args.host}: ")


def _add(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    from missend_guard.storage.settings.store import Account

    if args.graph:
        if not args.client_id.strip():
            print(f"missend-guard account add: {NO_CLIENT_ID}", file=sys.stderr)
            return 2
        account = Account(args.name, "graph", username=args.username,
                          from_addresses=tuple(args.from_addresses), default=args.default,
                          client_id=args.client_id.strip(), tenant=args.tenant.strip())
    else:
        missing = [f"--{o}" for o in ("host", "port", "security") if getattr(args, o) is None]
        if missing:
            print(f"missend-guard account add: {', '.join(missing)} needed for an SMTP account",
                  file=sys.stderr)
            return 2
        account = Account(args.name, "smtp", args.host, args.port, args.security, args.username,
                          tuple(args.from_addresses), args.default)
    settings = store.load()
    others = tuple(a for a in settings.accounts if a.name.casefold() != args.name.casefold())
    if account.default:
        others = tuple(_without_default(a) for a in others)
    updated = settings.with_accounts((*others, account))  # validates before the keychain is touched
    auth = _graph_auth(paths, account) if account.kind == "graph" else None
    if account.kind == "graph" and auth is None:
        return 2  # no safe place for the sign-in: saving would give an account that cannot send
    if account.kind == "smtp" and account.username:
        password = _read_password(args)
        if not password:
            print("missend-guard account add: the password is empty; nothing was saved",
                  file=sys.stderr)
            return 2
        secrets.set_account_password(account.name, password)
    store.save(updated)
    print(f"Account {account.name} saved: {_describe(account)}"
          + ("; password stored in the keychain" if account.kind == "smtp" and account.username
             else ""))
    if auth is not None:
        return _sign_in(account, auth, device_code=args.device_code)
    return 0


def _graph_auth(paths: DataPaths, account: Account) -> GraphAuth | None:
    """The account's sign-in, or None after printing why it cannot work."""
    from missend_guard.runtime.senders import make_graph_auth
    from missend_guard.transports.senders.graph.auth import GraphAuthError

    try:
        return make_graph_auth(paths, account)
    except GraphAuthError as exc:
        print(f"missend-guard: Microsoft 365 account {account.name}: {exc}", file=sys.stderr)
        return None


def browser_available() -> bool:
    """A browser can be opened here (not an SSH session or a server without a display)."""
    import webbrowser

    if sys.platform not in ("win32", "darwin") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _show_code(user_code: str, verification_uri: str, message: str) -> None:
    print(message or f"To sign in, open {verification_uri} and enter the code {user_code}.",
          flush=True)


def _sign_in(account: Account, auth: GraphAuth, *, device_code: bool) -> int:
    """Sign the saved account in; failures say how to try again (exit 1), never a traceback."""
    from missend_guard.runtime.senders import sign_in
    from missend_guard.transports.senders.graph.auth import GraphAuthError

    browser = not device_code and browser_available()
    print("Opening Microsoft's sign-in page in your browser…" if browser
          else "Signing in to Microsoft 365 with a code:", flush=True)
    again = (f"Sign in later with: missend-guard account add {account.name} --graph "
             f"--client-id {account.client_id} --tenant {account.tenant or 'organizations'} "
             "--device-code (or from the tray app).")
    try:
        user = sign_in(auth, _show_code, browser=browser)
    except GraphAuthError as exc:
        print(f"missend-guard: the account is saved but not signed in: {exc}\n{again}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nmissend-guard: sign-in cancelled; the account is saved. {again}",
              file=sys.stderr)
        return 1
    print(f"Signed in to Microsoft 365 as {user or 'the chosen account'}; mail from this "
          "account is sent through Microsoft Graph.")
    return 0


def _without_default(account: Account) -> Account:
    from dataclasses import replace

    return replace(account, default=False)


def _describe(account: Account) -> str:
    if account.kind == "graph":
        where = f"Microsoft 365 (tenant {account.tenant})"
    else:
        where = f"{account.host}:{account.port} {account.security}"
    parts = [where]
    if account.username:
        parts.append(f"user {account.username}")
    if account.from_addresses:
        parts.append("from " + ", ".join(account.from_addresses))
    if account.default:
        parts.append("default")
    return ", ".join(parts)


def _list(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    settings = store.load()
    for problem in settings.problems:
        print(f"missend-guard: {problem}", file=sys.stderr)
    if not settings.accounts:
        print("No upstream account. Add one with: missend-guard account add NAME --host H "
              "--port P --security starttls --username U")
        return 0
    for account in settings.accounts:
        print(f"{account.name}\t{account.kind}\t{_describe(account)}")
    return 0


def _remove(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    settings = store.load()
    account = settings.account(args.name)
    if account is None:
        print(f"missend-guard: no account named {args.name!r}", file=sys.stderr)
        return 2
    store.save(settings.with_accounts(tuple(a for a in settings.accounts if a is not account)))
    if account.kind == "graph":
        _sign_out(paths, account)
        print(f"Account {account.name} removed (signed out of Microsoft 365; its sign-in was "
              "deleted from this computer)")
        return 0
    secrets.delete_account_password(account.name)
    print(f"Account {account.name} removed (its password was deleted from the keychain)")
    return 0


def _sign_out(paths: DataPaths, account: Account) -> None:
    """Forget the account's tokens; the cache file goes even when MSAL cannot be reached."""
    from missend_guard.runtime.senders import graph_token_cache, make_graph_auth
    from missend_guard.transports.senders.graph.auth import GraphAuthError

    try:
        make_graph_auth(paths, account).sign_out()
    except (GraphAuthError, OSError, ValueError) as exc:
        print(f"missend-guard: could not sign out cleanly ({exc}); deleting the stored sign-in",
              file=sys.stderr)
    cache = graph_token_cache(paths, account.name)
    for leftover in (cache, cache.with_name(cache.name + ".lockfile")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _test(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    from missend_guard.core.ports.sending import DeliveryError
    from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender

    account = store.load().account(args.name)
    if account is None:
        print(f"missend-guard: no account named {args.name!r}", file=sys.stderr)
        return 2
    if account.kind == "graph":
        return _test_graph(paths, account)
    sender = SmtpSender(
        SmtpAccount(account.name, account.host, account.port, account.security, account.username),
        lambda: secrets.account_password(account.name), timeout=30,
    )
    try:
        print(sender.test())
    except DeliveryError as exc:
        print(f"{account.name}: FAILED ({'temporary' if exc.temporary else 'permanent'}): "
              f"{exc.reply}")
        return 1
    return 0


def _test_graph(paths: DataPaths, account: Account) -> int:
    """A fresh token without the user (refresh token checked by Microsoft) and who is signed in."""
    from missend_guard.transports.senders.graph.auth import GraphAuthError, SignInRequired

    auth = _graph_auth(paths, account)
    if auth is None:
        return 2
    try:
        auth.token(force_refresh=True)  # proves the sign-in is still accepted, not just cached
        user = auth.signed_in_user()
    except SignInRequired as exc:
        print(f"{account.name}: NOT SIGNED IN: {exc}\nSign in with: missend-guard account add "
              f"{account.name} --graph --client-id {account.client_id} --tenant "
              f"{account.tenant or 'organizations'} (or from the tray app).")
        return 1
    except GraphAuthError as exc:
        print(f"{account.name}: FAILED (temporary): {exc}")
        return 1
    print(f"{account.name}: OK, signed in to Microsoft 365 as {user} "
          f"(tenant {account.tenant or 'organizations'}, sign-in refreshed)")
    return 0
