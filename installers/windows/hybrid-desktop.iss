; Inno Setup script for Hybrid Desktop (Inno Setup 6.3 or later).
;
; Built by installers/build.py on Windows after the PyInstaller bundle has passed its smoke test:
;   iscc /DAppVersion=0.1.0 /DBundleDir=<repo>\dist\hybrid-desktop /O<repo>\dist installers\windows\hybrid-desktop.iss
;
; The result, dist\hybrid-desktop-<version>-windows-x64-setup.exe, installs per user by default
; (no administrator rights; the user may choose "all users" in the first dialog), adds a Start
; menu shortcut, optionally a desktop shortcut and a start at login (HKCU Run key), and registers
; an uninstaller in Apps & features. User data (history, settings, logs under %LOCALAPPDATA% and
; %APPDATA%) is left in place on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\hybrid-desktop"
#endif
#ifndef RepoDir
  #define RepoDir "..\.."
#endif

#define AppName "Hybrid Desktop"
#define AppExe "hybrid-desktop.exe"
#define AppCliExe "hybrid-desktop-cli.exe"
#define AppPublisher "Hybrid Desktop developers"
#define AppURL "https://github.com/hybriddesktop/hybrid-desktop"

[Setup]
; A fixed AppId keeps upgrades and the uninstaller entry stable across versions: never change it.
AppId={{6C1E2F4A-8B0D-4E53-9A51-2D7C9E4B1F30}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppPublisherURL={#AppURL}
AppSupportURL={#AppURL}/issues
AppUpdatesURL={#AppURL}/releases
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install unless the user picks "all users".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile={#RepoDir}\installers\windows\LICENSE.txt
SetupIconFile={#RepoDir}\resources\hybrid-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputBaseFilename=hybrid-desktop-{#AppVersion}-windows-x64-setup
; Close a running copy before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "startup"; Description: "Start {#AppName} when I sign in to Windows"; GroupDescription: "Start-up:"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "A private AI assistant that answers on this device first"
Name: "{autoprograms}\{#AppName} Quick Prompt"; Filename: "{app}\{#AppExe}"; Parameters: "--quick-prompt"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; Start at login, for this user only, removed by the uninstaller. The same value the app's own
; Settings -> General -> "Start at login" writes (hybrid_desktop/config/autostart.py), so either
; place turns it on or off.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "HybridDesktop"; ValueData: """{app}\{#AppExe}"" --minimized"; Tasks: startup; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// The command-line twin (hybrid-desktop-cli.exe) sits next to the app; tell console users where.
procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    Log('Command line: ' + ExpandConstant('{app}\{#AppCliExe}'));
end;
