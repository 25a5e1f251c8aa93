; Inno Setup 6 script: per-user install of the one-dir bundle, no administrator rights needed.
;
; Build (on Windows, after `python packaging\build.py --smoke` made dist\missend-guard\):
;   iscc /DAppVersion=0.1.0 packaging\windows\missend-guard.iss
; Output: dist\installer\MissendGuard-Setup-<version>.exe
;
; Silent install for IT (runs in the user's context, e.g. Intune "user" install or a logon script):
;   MissendGuard-Setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /TASKS="startatlogin"
; Silent uninstall keeps the user's data; add /DELETEDATA to remove it as well:
;   "%LOCALAPPDATA%\Programs\MissendGuard\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Missend Guard"
#define AppExe "MissendGuard.exe"
; Must match missend_guard/storage/autostart.py (RUN_KEY, ENTRY_NAME) so the app and the installer
; write, read and remove the same value.
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"
#define RunValue "MissendGuard"
; platformdirs.user_data_dir("MissendGuard", appauthor=False) on Windows.
#define DataDir "{localappdata}\MissendGuard"

[Setup]
AppId={{7C1F4B2A-3E5D-4A8B-9F60-1D2E3C4B5A69}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Missend Guard
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={localappdata}\Programs\MissendGuard
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist\installer
OutputBaseFilename=MissendGuard-Setup-{#AppVersion}
SetupIconFile=..\..\build\staging\missend-guard.ico
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; The tray app must not run while its files are replaced or removed (Restart Manager closes it;
; mail it holds stays in the outbox on disk and is sent after the next start).
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[CustomMessages]
english.StartAtLogin=Start Missend Guard when I sign in to Windows
japanese.StartAtLogin=Windows へのサインイン時に Missend Guard を起動する
english.LaunchNow=Start Missend Guard now
japanese.LaunchNow=Missend Guard を今すぐ起動する
english.DeleteDataQuestion=Also delete your Missend Guard data?%n%nThis removes your settings, accounts, the audit log and any mail that is still waiting in the outbox or was taken back with Undo (%1).%n%nChoose No to keep them, for example to reinstall later.
japanese.DeleteDataQuestion=Missend Guard のデータも削除しますか？%n%n設定、アカウント、監査ログ、および送信待ちのメールや取り消したメール（%1）がすべて削除されます。%n%n再インストールする場合などは「いいえ」を選んでデータを残してください。
english.CliNote=Command line: missend-guard.exe in %1
japanese.CliNote=コマンドライン版: %1 の missend-guard.exe

[Tasks]
Name: "startatlogin"; Description: "{cm:StartAtLogin}"

[Files]
Source: "..\..\dist\missend-guard\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A previous version's libraries must not linger next to the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Parameters: "run"; WorkingDir: "{app}"

[Registry]
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "{#RunValue}"; ValueData: """{app}\{#AppExe}"" run"; Tasks: startatlogin; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "run"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent

[Code]
function CommandLineHas(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  { Unticking the task on a reinstall must turn start-at-login off, even if the app wrote it. }
  if (CurStep = ssPostInstall) and not WizardIsTaskSelected('startatlogin') then
    RegDeleteValue(HKEY_CURRENT_USER, '{#RunKey}', '{#RunValue}');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usUninstall then
    { The app may have written the Run value itself (Settings > Start at login). }
    RegDeleteValue(HKEY_CURRENT_USER, '{#RunKey}', '{#RunValue}');
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{#DataDir}');
    if not DirExists(DataDir) then
      Exit;
    { Default is to keep: the data dir can hold mail that has not been sent yet. }
    if CommandLineHas('/DELETEDATA') then
      DelTree(DataDir, True, True, True)
    else if not UninstallSilent then
      if MsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]),
                mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;
