; Inno Setup script for Clerk Desk on Windows (Inno Setup 6).
;
; Build dist\clerk-desk first (uv run python packaging\build.py), then, from the repository's root:
;     iscc /DAppVersion=0.1.0 packaging\windows\clerk-desk.iss
; which writes dist\clerk-desk-0.1.0-setup.exe. .github/workflows/windows.yml does both.
;
; The installer:
; - installs for the current user only, with no administrator rights, into
;   %LOCALAPPDATA%\Programs\Clerk Desk;
; - adds "Clerk Desk" to the Start menu (and, if ticked, to the desktop), starting the windowed
;   "Clerk Desk.exe"; clerk-desk.exe beside it is the command line;
; - registers an uninstaller (Settings > Apps) that removes the program files only. The council's data
;   (%LOCALAPPDATA%\clerk-desk: the database, the copies made before an upgrade, the backups folder,
;   the log) and this PC's settings (%LOCALAPPDATA%\clerk-desk too) are not the installer's files, so
;   they stay; a database or backups folder the clerk keeps elsewhere is never touched either.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z packaging\windows\clerk-desk.iss
#endif

#define AppName "Clerk Desk"
#define SourceDir "..\..\dist\clerk-desk"

[Setup]
; The AppId identifies Clerk Desk to Windows across versions: never change it, or an upgrade installs
; a second copy instead of replacing the first.
AppId={{6F1C2B0E-3E0A-4C3B-9C51-1F7A8D2E4B90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Clerk Desk
; Per user: no UAC prompt, and {autopf} is %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UninstallDisplayIcon={app}\{#AppName}.exe
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=clerk-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Replace the program files of a running Clerk Desk only after asking the clerk to close it.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; Everything PyInstaller built; an upgrade first removes what the previous version installed (below).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version may ship fewer files (a dropped library or upgrade script); clear the old program
; folder's bundled files so nothing stale is left beside the new ones. The data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppName}.exe"; Comment: "Social-media governance for the council"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppName}.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppName}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section: the uninstaller removes only what [Files] and [Icons] installed, so the
; database, its copies, the backups and the log in %LOCALAPPDATA%\clerk-desk stay for a reinstall or
; an upgrade.
