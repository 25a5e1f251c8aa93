<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
  <context>
    <name>AccountDialog</name>
    <message>
      <location filename="../../ui/accounts_page.py" line="126" />
      <source>Edit account</source>
      <translation>アカウントの編集</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="126" />
      <source>Add account</source>
      <translation>アカウントの追加</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="139" />
      <source>&amp;Test connection</source>
      <translation>接続テスト(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="157" />
      <source>Connecting…</source>
      <translation>接続しています…</translation>
    </message>
  </context>
  <context>
    <name>AccountForm</name>
    <message>
      <location filename="../../ui/accounts_page.py" line="49" />
      <source>Work</source>
      <translation>会社</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="54" />
      <source>STARTTLS (port 587)</source>
      <translation>STARTTLS（ポート 587）</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="55" />
      <source>SSL/TLS (port 465)</source>
      <translation>SSL/TLS（ポート 465）</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="56" />
      <source>None (this computer only)</source>
      <translation>なし（このパソコン内のサーバーのみ）</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="69" />
      <source>(unchanged)</source>
      <translation>（変更しない）</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="71" />
      <source>you@example.co.jp</source>
      <translation>you@example.co.jp</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="72" />
      <source>Use for addresses not listed elsewhere</source>
      <translation>ほかのアカウントに登録されていない差出人にも使う</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="74" />
      <source>Account name</source>
      <translation>アカウント名</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="75" />
      <source>SMTP server</source>
      <translation>送信（SMTP）サーバー</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="76" />
      <source>Security</source>
      <translation>暗号化</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="77" />
      <source>Port</source>
      <translation>ポート</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="78" />
      <source>User name</source>
      <translation>ユーザー名</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="79" />
      <source>Password</source>
      <translation>パスワード</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="80" />
      <source>Sender addresses</source>
      <translation>差出人アドレス</translation>
    </message>
  </context>
  <context>
    <name>AccountsPage</name>
    <message>
      <location filename="../../ui/accounts_page.py" line="193" />
      <source>&amp;Add…</source>
      <translation>追加(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="194" />
      <source>&amp;Edit…</source>
      <translation>編集(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../ui/accounts_page.py" line="195" />
      <source>&amp;Remove</source>
      <translation>削除(&amp;R)</translation>
    </message>
  </context>
  <context>
    <name>AuditWindow</name>
    <message>
      <location filename="../../ui/audit_window.py" line="51" />
      <source>Missend Guard audit log</source>
      <translation>Missend Guard 監査ログ</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="54" />
      <source>Filter (any column)</source>
      <translation>絞り込み（すべての列が対象）</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="56" />
      <source>&amp;Filter:</source>
      <translation>絞り込み(&amp;F):</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="62" />
      <source>Time (UTC)</source>
      <translation>日時（UTC）</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="62" />
      <source>Event</source>
      <translation>種類</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="62" />
      <source>Subject</source>
      <translation>件名</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="62" />
      <source>Recipients</source>
      <translation>宛先</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="63" />
      <source>Findings</source>
      <translation>検出項目</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="63" />
      <source>Decision</source>
      <translation>判断</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="63" />
      <source>By</source>
      <translation>判断者</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="63" />
      <source>Detail</source>
      <translation>詳細</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="80" />
      <source>&amp;Export CSV…</source>
      <translation>CSV に書き出す(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="83" />
      <source>&amp;Reload</source>
      <translation>再読み込み(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/audit_window.py" line="115" />
      <source>Export audit log</source>
      <translation>監査ログの書き出し</translation>
    </message>
  </context>
  <context>
    <name>Checklist</name>
    <message>
      <location filename="../../ui/review/sections.py" line="91" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="97" />
      <source>From: %1</source>
      <translation>差出人：%1</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="103" />
      <source>This mail cannot be sent as it is. Cancel, correct it in your mail app and send it again.</source>
      <translation>このメールはこのままでは送信できません。キャンセルし、メールソフトで修正してから送り直してください。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review/sections.py" line="120" />
      <source>External recipients (%n)</source>
      <translation>
        <numerusform>社外の宛先（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="126" />
      <source>External</source>
      <translation>社外</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="133" />
      <source>External recipients moved to Bcc: they still receive the mail but no longer see each other's addresses.</source>
      <translation>社外の宛先を Bcc に移しました。メールは届きますが、宛先どうしでアドレスは見えません。</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="138" />
      <source>Move external To/Cc recipients to &amp;Bcc</source>
      <translation>社外の宛先（To/Cc）を Bcc に移す(&amp;B)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review/sections.py" line="144" />
      <source>Internal recipients (%n)</source>
      <translation>
        <numerusform>社内の宛先（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="148" />
      <source>All internal recipients checked</source>
      <translation>社内の宛先をすべて確認しました</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review/sections.py" line="167" />
      <source>Attachments (%n)</source>
      <translation>
        <numerusform>添付ファイル（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="176" />
      <source>Encrypted</source>
      <translation>暗号化済み</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="181" />
      <source>&amp;Protect…</source>
      <translation>保護する(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="183" />
      <source>Encrypt, remove or knowingly send the unprotected files</source>
      <translation>保護されていないファイルを暗号化するか、外すか、承知の上でそのまま送るかを選びます</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="192" />
      <source>Subject and text</source>
      <translation>件名と本文</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="195" />
      <source>Subject: %1</source>
      <translation>件名：%1</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="200" />
      <source>I have read the text</source>
      <translation>本文を確認しました</translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="205" />
      <source>Text of the mail</source>
      <translation>メールの本文</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review/sections.py" line="241" />
      <source>External: %n</source>
      <translation>
        <numerusform>社外 %n件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review/sections.py" line="242" />
      <source>Attachments: %n</source>
      <translation>
        <numerusform>添付 %n件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review/sections.py" line="243" />
      <source>Warnings: %n</source>
      <translation>
        <numerusform>注意 %n件</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review/sections.py" line="249" />
      <source>Mail %1 of %2</source>
      <translation>%2 通中 %1 通目</translation>
    </message>
  </context>
  <context>
    <name>DesktopApp</name>
    <message>
      <location filename="../../desktop.py" line="222" />
      <source>Setting not changed</source>
      <translation>設定を変更できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="230" />
      <source>Contacts</source>
      <translation>連絡先</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="241" />
      <source>Start at login not changed</source>
      <translation>ログイン時の起動設定を変更できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="282" />
      <source>Setup not saved</source>
      <translation>設定を保存できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="287" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="287" />
      <source>Missend Guard is already running.</source>
      <translation>Missend Guard はすでに起動しています。</translation>
    </message>
    <message>
      <location filename="../../desktop/app.py" line="1" />
      <source>Language changed</source>
      <translation>表示言語を変更しました</translation>
    </message>
    <message>
      <location filename="../../desktop/app.py" line="1" />
      <source>Missend Guard shows the new language after a restart: choose Quit, then start it again.</source>
      <translation>新しい表示言語は再起動後に反映されます。［終了］を選んでから、Missend Guard をもう一度起動してください。</translation>
    </message>
  </context>
  <context>
    <name>DeviceCodeDialog</name>
    <message>
      <location filename="../../ui/signin_dialog.py" line="52" />
      <source>Sign in to Microsoft 365</source>
      <translation>Microsoft 365 へのサインイン</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="63" />
      <source>Account: %1</source>
      <translation>アカウント: %1</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="78" />
      <source>Sign-in code</source>
      <translation>サインイン コード</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="87" />
      <source>&amp;Copy code</source>
      <translation>コードをコピー(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="98" />
      <source>Use a &amp;code instead</source>
      <translation>コードでサインイン(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="138" />
      <source>On any computer or phone, open the address below and enter this code. Waiting for you to finish signing in…</source>
      <translation>パソコンやスマートフォンで下のアドレスを開き、このコードを入力してください。サインインの完了を待っています…</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="147" />
      <source>✔ Signed in as %1. Mail for this account is sent through Microsoft 365.</source>
      <translation>✔ %1 としてサインインしました。このアカウントのメールは Microsoft 365 経由で送信されます。</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="155" />
      <source>Sign-in cancelled. Mail for this account keeps waiting.</source>
      <translation>サインインを取り消しました。このアカウントのメールは送信を待ったままです。</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="157" />
      <source>✖ Sign-in did not complete: %1</source>
      <translation>✖ サインインできませんでした: %1</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="172" />
      <source>Copied</source>
      <translation>コピーしました</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="180" />
      <location filename="../../ui/signin_dialog.py" line="189" />
      <source>Asking Microsoft for a sign-in code…</source>
      <translation>Microsoft にサインイン コードを要求しています…</translation>
    </message>
    <message>
      <location filename="../../ui/signin_dialog.py" line="187" />
      <source>Finish signing in in the browser window that opened. If no browser opened, use a code instead.</source>
      <translation>開いたブラウザーの画面でサインインを完了してください。ブラウザーが開かない場合は、コードでサインインしてください。</translation>
    </message>
  </context>
  <context>
    <name>FindingWidget</name>
    <message>
      <location filename="../../ui/review/widgets.py" line="83" />
      <source>Note</source>
      <translation>お知らせ</translation>
    </message>
    <message>
      <location filename="../../ui/review/widgets.py" line="83" />
      <source>Warning</source>
      <translation>注意</translation>
    </message>
    <message>
      <location filename="../../ui/review/widgets.py" line="84" />
      <source>Cannot be sent</source>
      <translation>送信できません</translation>
    </message>
    <message>
      <location filename="../../ui/review/widgets.py" line="97" />
      <source>I have checked this warning</source>
      <translation>この注意を確認しました</translation>
    </message>
    <message>
      <location filename="../../ui/review/widgets.py" line="98" />
      <source>I have checked this: %1</source>
      <translation>確認しました：%1</translation>
    </message>
  </context>
  <context>
    <name>GraphAccountPage</name>
    <message>
      <location filename="../../ui/wizard_graph.py" line="45" />
      <source>Microsoft 365</source>
      <translation>Microsoft 365</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="46" />
      <source>Missend Guard sends your checked mail through Microsoft 365 as you.</source>
      <translation>確認済みのメールを、あなたのアカウントで Microsoft 365 から送信します。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="58" />
      <source>organizations, or your tenant's domain or ID</source>
      <translation>organizations、またはテナントのドメインか ID</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="60" />
      <source>you@example.co.jp</source>
      <translation>you@example.co.jp</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="61" />
      <source>Account name</source>
      <translation>アカウント名</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="62" />
      <source>Application (client) ID</source>
      <translation>アプリケーション（クライアント）ID</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="63" />
      <source>Tenant</source>
      <translation>テナント</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="64" />
      <source>Sender addresses</source>
      <translation>差出人アドレス</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="76" />
      <source>Your IT administrator registers Missend Guard once in Microsoft Entra ID (delegated permission Mail.Send) and gives you its application (client) ID. Keep the tenant “organizations” unless you were given a tenant ID or domain. Instructions for administrators: %1</source>
      <translation>情報システム部門の管理者が Missend Guard を Microsoft Entra ID に一度だけ登録し（委任されたアクセス許可 Mail.Send）、そのアプリケーション（クライアント）ID をお知らせします。テナント ID またはドメインの指定がなければ、テナントは「organizations」のままにしてください。管理者向けの手順: %1</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="90" />
      <source>Enter the application (client) ID from your administrator.</source>
      <translation>管理者から受け取ったアプリケーション（クライアント）ID を入力してください。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="93" />
      <source>The application (client) ID looks like 11111111-2222-3333-4444-555555555555.</source>
      <translation>アプリケーション（クライアント）ID は 11111111-2222-3333-4444-555555555555 のような形式です。</translation>
    </message>
  </context>
  <context>
    <name>GraphSignInPage</name>
    <message>
      <location filename="../../ui/wizard_graph.py" line="125" />
      <source>Sign in to Microsoft 365</source>
      <translation>Microsoft 365 へのサインイン</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="126" />
      <source>Microsoft's own sign-in page asks for your password; Missend Guard never sees or stores it.</source>
      <translation>パスワードは Microsoft のサインイン画面に入力します。Missend Guard がパスワードを見たり保存したりすることはありません。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="129" />
      <source>&amp;Sign in…</source>
      <translation>サインイン(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="131" />
      <location filename="../../ui/wizard_graph.py" line="141" />
      <source>Not signed in yet.</source>
      <translation>まだサインインしていません。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="165" />
      <source>Signing in…</source>
      <translation>サインインしています…</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="173" />
      <source>✔ Signed in as %1.</source>
      <translation>✔ %1 としてサインインしました。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard_graph.py" line="176" />
      <source>✖ Not signed in: %1</source>
      <translation>✖ サインインできませんでした: %1</translation>
    </message>
  </context>
  <context>
    <name>PasswordDesk</name>
    <message>
      <location filename="../../ui/password_desk.py" line="56" />
      <source>Password not kept</source>
      <translation>パスワードを保存できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/password_desk.py" line="65" />
      <location filename="../../ui/password_desk.py" line="69" />
      <source>Password not available</source>
      <translation>パスワードを表示できません</translation>
    </message>
    <message>
      <location filename="../../ui/password_desk.py" line="70" />
      <source>No password is kept for this mail.</source>
      <translation>このメールのパスワードは保存されていません。</translation>
    </message>
  </context>
  <context>
    <name>PasswordWindow</name>
    <message>
      <location filename="../../ui/password_window.py" line="160" />
      <source>Password for the protected files</source>
      <translation>保護したファイルのパスワード</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="170" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="171" />
      <source>Mail: %1</source>
      <translation>メール：%1</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="176" />
      <source>Protected files: %1</source>
      <translation>保護したファイル：%1</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="180" />
      <source>Tell this password to: %1</source>
      <translation>このパスワードをお伝えする相手：%1</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="192" />
      <source>Password</source>
      <translation>パスワード</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="195" />
      <source>Tell them the password by phone or chat, not by mail.</source>
      <translation>パスワードはメールではなく、電話やチャットなど別の手段でお伝えください。</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="206" />
      <source>&amp;Copy password</source>
      <translation>パスワードをコピー(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../ui/password_window.py" line="219" />
      <source>Copied. The clipboard will be cleared in %1 seconds.</source>
      <translation>コピーしました。クリップボードは %1 秒後に消去されます。</translation>
    </message>
    <message>
      <location filename="../../ui/protect/password_window.py" line="222" />
      <source>Copied. The clipboard will be cleared in 1 second.</source>
      <translation>コピーしました。クリップボードは 1 秒後に消去されます。</translation>
    </message>
  </context>
  <context>
    <name>ProtectDialog</name>
    <message>
      <location filename="../../ui/protect/dialog.py" line="393" />
      <source>Protecting the files…</source>
      <translation>ファイルを保護しています…</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="188" />
      <source>Protect attachments</source>
      <translation>添付ファイルの保護</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="191" />
      <source>Encrypt (PDF)</source>
      <translation>暗号化（PDF）</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="192" />
      <source>Encrypt as ZIP</source>
      <translation>ZIP で暗号化</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="193" />
      <source>Send as is</source>
      <translation>そのまま送る</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="194" />
      <source>Remove from this mail</source>
      <translation>このメールから外す</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="208" />
      <source>These files go unencrypted to recipients outside your organisation. Choose what to do with each file. Tell the recipients the password by phone or chat, never by mail.</source>
      <translation>次のファイルは暗号化されないまま社外の宛先に送られます。ファイルごとに対応を選んでください。パスワードはメールではなく、電話やチャットで相手の方にお伝えください。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="214" />
      <source>Many organisations strip or quarantine encrypted ZIP files, so PDF encryption is offered first for PDFs.</source>
      <translation>暗号化 ZIP は、受信側の組織で削除・隔離されることが増えています。そのため PDF ファイルには PDF の暗号化をおすすめしています。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/protect_dialog.py" line="219" />
      <source>Files (%n)</source>
      <translation>
        <numerusform>ファイル（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="222" />
      <source>Apply to all files…</source>
      <translation>すべてのファイルに適用…</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="225" />
      <source>Apply to all files</source>
      <translation>すべてのファイルに適用</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="234" />
      <source>⚠ %1 may not accept encrypted ZIP files. Prefer PDF encryption or another way of sharing.</source>
      <translation>⚠ %1 では暗号化 ZIP を受け取れない可能性があります。PDF の暗号化か、別の共有方法をご検討ください。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="239" />
      <source>⚠ %1 may not accept encrypted ZIP files. Consider sharing this file another way, such as your organisation's file-sharing service.</source>
      <translation>⚠ %1 では暗号化 ZIP を受け取れない可能性があります。社内のファイル共有サービスなど、別の方法での共有をご検討ください。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="253" />
      <source>Your organisation requires files sent outside to be protected, so “Send as is” is not available.</source>
      <translation>社外に送るファイルは保護するよう社内で定められているため、「そのまま送る」は選べません。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="260" />
      <source>I understand that the files marked “Send as is” go out unencrypted; this is recorded in the audit log</source>
      <translation>「そのまま送る」を選んだファイルは暗号化されずに送られることを理解しました（監査ログに記録されます）</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="266" />
      <source>There is no unprotected file going outside.</source>
      <translation>社外に送る未保護のファイルはありません。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="269" />
      <source>Password</source>
      <translation>パスワード</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="273" />
      <source>Generated password</source>
      <translation>自動生成したパスワード</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="274" />
      <source>&amp;Regenerate</source>
      <translation>別のパスワードを生成(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="277" />
      <source>Use a &amp;generated password</source>
      <translation>自動生成のパスワードを使う(&amp;G)</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="278" />
      <source>Use &amp;my own password</source>
      <translation>自分で決めたパスワードを使う(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="284" />
      <source>Your password</source>
      <translation>自分で決めたパスワード</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="290" />
      <source>The files already protected in this mail use this password, so it is used again.</source>
      <translation>このメールで保護済みのファイルと同じパスワードを使います。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="318" />
      <source>&amp;Apply</source>
      <translation>適用(&amp;A)</translation>
    </message>
  </context>
  <context>
    <name>ProtectStep</name>
    <message>
      <location filename="../../ui/protect/protection.py" line="86" />
      <source>Checking the protected mail…</source>
      <translation>保護したメールを確認しています…</translation>
    </message>
  </context>
  <context>
    <name>QtReviewer</name>
    <message>
      <location filename="../../ui/bridge.py" line="133" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/bridge.py" line="144" />
      <source>Review withdrawn</source>
      <translation>確認を中止しました</translation>
    </message>
    <message>
      <location filename="../../ui/bridge.py" line="145" />
      <source>The mail app stopped waiting for “%1”. Nothing was sent.</source>
      <translation>メールソフトが「%1」の送信を中止しました。メールは送信されていません。</translation>
    </message>
  </context>
  <context>
    <name>ReviewDialog</name>
    <message>
      <location filename="../../ui/review/dialog.py" line="60" />
      <source>Check before sending</source>
      <translation>送信前の確認</translation>
    </message>
    <message>
      <location filename="../../ui/review/dialog.py" line="103" />
      <source>Cancel (fix in mail app)</source>
      <translation>キャンセル（メールソフトで修正）</translation>
    </message>
    <message>
      <location filename="../../ui/review/dialog.py" line="104" />
      <source>&amp;Send</source>
      <translation>送信(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../ui/review/dialog.py" line="201" />
      <source>Checked %1 of %2</source>
      <translation>確認済み %1 / %2</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../ui/settings/dialog.py" line="1" />
      <source>Sent history</source>
      <translation>送信履歴</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="53" />
      <source>Missend Guard settings</source>
      <translation>Missend Guard の設定</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="59" />
      <source>Accounts</source>
      <translation>アカウント</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="102" />
      <source>Set by your administrator</source>
      <translation>管理者が設定しています</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="137" />
      <source>One entry per line</source>
      <translation>1 行に 1 件ずつ入力してください</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="146" />
      <source>Same as the system</source>
      <translation>システムの設定に従う</translation>
    </message>
  </context>
  <context>
    <name>SetupWizard</name>
    <message>
      <location filename="../../ui/wizard.py" line="220" />
      <source>Set up Missend Guard</source>
      <translation>Missend Guard のセットアップ</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>Language changed. The tray menu and parts of the review dialog follow the next time Missend Guard starts.</source>
      <translation>表示言語を切り替えました。トレイのメニューと確認画面の一部は、次に Missend Guard を起動したときに切り替わります。</translation>
    </message>
  </context>
  <context>
    <name>SignInSession</name>
    <message>
      <location filename="../../ui/signin_dialog.py" line="265" />
      <source>Sign-in cancelled.</source>
      <translation>サインインを取り消しました。</translation>
    </message>
  </context>
  <context>
    <name>TrayController</name>
    <message>
      <source>R&amp;eturned mail…</source>
      <translation>送信をやめたメール(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="67" />
      <location filename="../../ui/tray.py" line="216" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="88" />
      <source>&amp;Held mails</source>
      <translation>送信待ちのメール(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="89" />
      <source>&amp;Failed mails</source>
      <translation>送信できなかったメール(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="90" />
      <source>&amp;Recently sent</source>
      <translation>最近送信したメール(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="93" />
      <source>Open &amp;audit log</source>
      <translation>監査ログを開く(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="94" />
      <source>&amp;Settings…</source>
      <translation>設定(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="96" />
      <source>&amp;Quit</source>
      <translation>終了(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="100" />
      <source>&amp;Pause checks</source>
      <translation>確認を一時停止(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="101" />
      <source>For 15 minutes</source>
      <translation>15 分間</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="101" />
      <source>For 1 hour</source>
      <translation>1 時間</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="101" />
      <source>Until resumed</source>
      <translation>再開するまで</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="109" />
      <source>&amp;Resume checks</source>
      <translation>確認を再開(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="112" />
      <source>&amp;Undo window</source>
      <translation>送信取り消しの猶予(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="116" />
      <source>Off (send at once)</source>
      <translation>なし（すぐに送信）</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray.py" line="116" />
      <source>%n second(s)</source>
      <translation>
        <numerusform>%n 秒</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="155" />
      <source>Sign in to Microsoft 365 again</source>
      <translation>Microsoft 365 に再度サインインしてください</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="156" />
      <source>Mail from %1 waits until you sign in: %2</source>
      <translation>%1 のメールは、サインインするまで送信を待ちます: %2</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="161" />
      <source>Sign in to Microsoft 365 (%1)…</source>
      <translation>Microsoft 365 にサインイン（%1）…</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="174" />
      <source>Signed in to Microsoft 365</source>
      <translation>Microsoft 365 にサインインしました</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="175" />
      <source>%1 is signed in; mail that waited is being sent.</source>
      <translation>%1 でサインインしました。送信待ちのメールを送信しています。</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="178" />
      <source>Not signed in</source>
      <translation>サインインできませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="178" />
      <source>%1: %2</source>
      <translation>%1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="210" />
      <source>Checking every mail</source>
      <translation>すべてのメールを確認しています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="211" />
      <source>Checks paused</source>
      <translation>確認を一時停止しています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="212" />
      <source>Mail waiting to be sent</source>
      <translation>送信待ちのメールがあります</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="213" />
      <source>Delivery problem</source>
      <translation>送信に問題があります</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="236" />
      <source>Could not undo</source>
      <translation>取り消せませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="245" />
      <source>Could not send now</source>
      <translation>今すぐ送信できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="249" />
      <source>Could not retry</source>
      <translation>再送できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="260" />
      <source>Quit Missend Guard?</source>
      <translation>Missend Guard を終了しますか？</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray.py" line="261" />
      <source>%n mail(s) are still waiting to be sent. They stay in the outbox and are sent when Missend Guard starts again. Quit now?</source>
      <translation>
        <numerusform>送信待ちのメールが %n 通あります。メールは送信トレイに残り、次に Missend Guard を起動したときに送信されます。終了しますか？</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="281" />
      <source>Mail waiting</source>
      <translation>メールが待機しています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="285" />
      <source>Delivered</source>
      <translation>送信しました</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="285" />
      <source>“%1” was delivered after a retry.</source>
      <translation>「%1」は再送により送信できました。</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="289" />
      <source>Not delivered</source>
      <translation>送信できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="289" />
      <source>“%1” could not be sent: %2</source>
      <translation>「%1」を送信できませんでした: %2</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray.py" line="344" />
      <source>%1 — %n s</source>
      <translation>
        <numerusform>%1 — あと %n 秒</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="344" />
      <location filename="../../ui/tray.py" line="366" />
      <location filename="../../ui/tray.py" line="374" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="346" />
      <source>&amp;Undo</source>
      <translation>取り消す(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="347" />
      <source>Send &amp;now</source>
      <translation>今すぐ送信(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="352" />
      <source>Show &amp;password…</source>
      <translation>パスワードを表示(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="364" />
      <source>No mail sent yet</source>
      <translation>送信済みのメールはまだありません</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="375" />
      <source>Waiting to retry</source>
      <translation>再送を待っています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="377" />
      <source>&amp;Retry now</source>
      <translation>今すぐ再送(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="367" />
      <location filename="../../ui/tray.py" line="378" />
      <source>&amp;Show</source>
      <translation>表示(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="379" />
      <source>Move to &amp;Returned</source>
      <translation>送信をやめて戻す(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/menu.py" line="97" />
      <source>Un&amp;confirmed mails</source>
      <translation>送信結果が不明なメール(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/menu.py" line="227" />
      <source>Unconfirmed mail: please check</source>
      <translation>送信結果が不明なメールがあります。ご確認ください</translation>
    </message>
  </context>
  <context>
    <name>UnconfirmedMenu</name>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="55" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="57" />
      <source>Send &amp;again</source>
      <translation>もう一度送信(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="58" />
      <source>&amp;Mark as sent</source>
      <translation>送信済みにする(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="59" />
      <source>&amp;Show</source>
      <translation>表示(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="63" />
      <source>Could not send again</source>
      <translation>再送信できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="67" />
      <source>Could not mark as sent</source>
      <translation>送信済みにできませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="71" />
      <source>The server did not confirm it</source>
      <translation>サーバーから受信の確認がありませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="73" />
      <source>Handed to the server at %1, not confirmed</source>
      <translation>%1 にサーバーへ送信しましたが、受信の確認がありません</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="77" />
      <source>Was this mail delivered?</source>
      <translation>送信結果を確認できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray/unconfirmed.py" line="78" />
      <source>The server did not confirm “%1”. Check your Sent folder or ask the recipient, then choose Send again or Mark as sent in the tray menu.</source>
      <translation>「%1」について、サーバーから受信の確認がありませんでした。送信済みフォルダーをご確認いただくか宛先の方にお問い合わせのうえ、トレイメニューの「もう一度送信」または「送信済みにする」を選んでください。</translation>
    </message>
  </context>
  <context>
    <name>UndoToast</name>
    <message>
      <location filename="../../ui/toast.py" line="31" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../ui/toast.py" line="42" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/toast.py" line="50" />
      <source>&amp;Undo</source>
      <translation>取り消す(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../ui/toast.py" line="52" />
      <source>Send &amp;now</source>
      <translation>今すぐ送信(&amp;N)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/toast.py" line="67" />
      <source>Sending in %n second(s)</source>
      <translation>
        <numerusform>%n 秒後に送信します</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>_ContactsPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="180" />
      <source>Import your contacts (optional)</source>
      <translation>連絡先の取り込み（任意）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="182" />
      <source>Known contacts make look-alike addresses and first-time recipients stand out.</source>
      <translation>連絡先があると、よく似たアドレスや初めての宛先を見分けやすくなります。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="185" />
      <source>&amp;Import vCard or CSV…</source>
      <translation>vCard または CSV を取り込む(&amp;I)…</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="188" />
      <source>Export contacts from Outlook or Thunderbird as CSV or vCard, then import.</source>
      <translation>Outlook や Thunderbird から連絡先を CSV または vCard で書き出し、ここで取り込んでください。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="197" />
      <source>Import contacts</source>
      <translation>連絡先の取り込み</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="197" />
      <source>Contacts (*.vcf *.csv)</source>
      <translation>連絡先 (*.vcf *.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>Look in:</source>
      <translation>場所:</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>File name:</source>
      <translation>ファイル名:</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>Files of type:</source>
      <translation>ファイルの種類:</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>Import</source>
      <translation>取り込む</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
  </context>
  <context>
    <name>_ServerPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="64" />
      <source>Your mail server</source>
      <translation>お使いのメールサーバー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="65" />
      <source>Use the outgoing (SMTP) settings your mail app uses today.</source>
      <translation>いまメールソフトで使っている送信（SMTP）サーバーの設定を入力してください。</translation>
    </message>
  </context>
  <context>
    <name>_TestPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="89" />
      <source>Test the connection</source>
      <translation>接続テスト</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="90" />
      <source>Missend Guard logs in to the server without sending anything.</source>
      <translation>メールは送信せずに、サーバーへのログインだけを試します。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="92" />
      <source>&amp;Test connection</source>
      <translation>接続テスト(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="94" />
      <source>Not tested yet. You can also test later from Settings.</source>
      <translation>まだテストしていません。あとから設定画面でもテストできます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="105" />
      <source>Connecting…</source>
      <translation>接続しています…</translation>
    </message>
  </context>
  <context>
    <name>_UpstreamPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="49" />
      <source>How do you send mail?</source>
      <translation>メールの送信方法</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="50" />
      <source>Missend Guard checks each mail, then passes it on to your mail server.</source>
      <translation>Missend Guard はメールを 1 通ずつ確認してから、お使いのメールサーバーに渡します。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="52" />
      <source>An SMTP server (most providers and company servers)</source>
      <translation>SMTP サーバー（多くのプロバイダーや社内サーバー）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="54" />
      <source>Microsoft 365 (sent through Microsoft Graph; for tenants where SMTP is turned off)</source>
      <translation>Microsoft 365（Microsoft Graph 経由で送信。SMTP が無効なテナント向け）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/wizard.py" line="1" />
      <source>&amp;Language / 言語</source>
      <translation>言語 / Language(&amp;L)</translation>
    </message>
  </context>
  <context>
    <name>desktop</name>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
  </context>
  <context>
    <name>DesktopStart</name>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Another program is using the relay port</source>
      <translation>別のプログラムが中継用のポートを使用しています</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Missend Guard could not start its relay on 127.0.0.1:{port}: another program is already listening there.

Your mail program may now be sending to that program instead of Missend Guard, and would give it the relay password. Do not send mail until this is solved: quit the other program, or choose another port in Missend Guard's settings (relay_port) and in your mail program.</source>
      <translation>Missend Guard は 127.0.0.1:{port} で中継を開始できませんでした。別のプログラムがすでにこのポートを使用しています。

お使いのメールソフトが Missend Guard ではなくそのプログラムにメールを送り、中継用のパスワードを渡してしまうおそれがあります。解決するまでメールを送信しないでください。そのプログラムを終了するか、Missend Guard の設定（relay_port）とメールソフトの両方で別のポートを指定してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Missend Guard could not start</source>
      <translation>Missend Guard を起動できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Install a keychain and unlock it in your desktop session: GNOME Keyring (package gnome-keyring) or KWallet on KDE; both usually unlock when you log in. Then start Missend Guard again. For a computer without a desktop, see the details.</source>
      <translation>デスクトップ環境にキーチェーンをインストールし、ロックを解除してください（GNOME ではパッケージ gnome-keyring、KDE では KWallet。どちらも通常はログイン時に解除されます）。そのあと Missend Guard をもう一度起動してください。デスクトップ環境のないコンピューターでの設定方法は、詳細をご覧ください。</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Open Keychain Access (Applications → Utilities), unlock the “login” keychain, then start Missend Guard again.</source>
      <translation>キーチェーンアクセス（［アプリケーション］→［ユーティリティ］）を開いて「ログイン」キーチェーンのロックを解除してから、Missend Guard をもう一度起動してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Windows Credential Manager could not be reached. Sign in to Windows with your own account (not a temporary profile), then start Missend Guard again.</source>
      <translation>Windows の資格情報マネージャーに接続できませんでした。一時プロファイルではなくご自身のアカウントで Windows にサインインしてから、Missend Guard をもう一度起動してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>No keychain for Missend Guard's passwords</source>
      <translation>パスワードを保管するキーチェーンを使用できません</translation>
    </message>
    <message>
      <location filename="../../desktop/start.py" line="1" />
      <source>Missend Guard keeps the relay password and your mail account's password in the system keychain, and none could be used.</source>
      <translation>Missend Guard は、中継用のパスワードとメールアカウントのパスワードをシステムのキーチェーンに保管しますが、使用できるキーチェーンが見つかりませんでした。</translation>
    </message>
  </context>
  <context>
    <name>VouchOffers</name>
    <message>
      <location filename="../../ui/review/vouch.py" line="1" />
      <source>This address is correct</source>
      <translation>この宛先で間違いありません</translation>
    </message>
    <message>
      <location filename="../../ui/review/vouch.py" line="1" />
      <source>Remember %1 as the right address: it is no longer flagged as looking like another one</source>
      <translation>%1 を正しい宛先として登録します。今後は似た宛先として警告しません</translation>
    </message>
    <message>
      <location filename="../../ui/review/vouch.py" line="1" />
      <source>Could not be recorded: %1</source>
      <translation>登録できませんでした：%1</translation>
    </message>
    <message>
      <location filename="../../ui/review/vouch.py" line="1" />
      <source>Marked as the right address: it is not flagged again.</source>
      <translation>正しい宛先として登録しました。今後この宛先には警告を表示しません。</translation>
    </message>
  </context>
  <context>
    <name>HistoryPage</name>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>Addresses and domains you have sent to count as known. One you sent to past a look-alike warning is still flagged until it is trusted. Forget one to have it checked as a first-time recipient again.</source>
      <translation>一度送信したアドレスやドメインは、既知の宛先として扱われます。似た宛先の警告を確認したうえで送信したものは、確認済みになるまで警告が続きます。履歴から削除すると、次回からは初めての宛先として確認します。</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>Address or domain</source>
      <translation>アドレスまたはドメイン</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>&amp;Forget</source>
      <translation>履歴から削除(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>The first %1 matches are listed; type more to narrow the list.</source>
      <translation>一致した最初の %1 件を表示しています。続けて入力すると絞り込めます。</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>The sent history cannot be read: %1</source>
      <translation>送信履歴を読み込めませんでした：%1</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>marked as the right address</source>
      <translation>正しい宛先として登録済み</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>still flagged: sent on %1 of %2 days</source>
      <translation>警告を継続中：%2 日のうち %1 日送信</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>known</source>
      <translation>既知の宛先</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>The sent history could not be changed: %1</source>
      <translation>送信履歴を変更できませんでした：%1</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>%1 is not in the sent history.</source>
      <translation>%1 は送信履歴にありません。</translation>
    </message>
    <message>
      <location filename="../../ui/settings/history_page.py" line="1" />
      <source>Forgotten: %1. It is checked as a first-time recipient again.</source>
      <translation>%1 を送信履歴から削除しました。次回からは初めての宛先として確認します。</translation>
    </message>
  </context>
  <context>
    <name>ClientPage</name>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Point your mail app at Missend Guard</source>
      <translation>メールソフトの送信先を Missend Guard にします</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Change the outgoing (SMTP) server in your mail app to exactly this:</source>
      <translation>メールソフトの送信（SMTP）サーバーを次のとおり設定してください:</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Server</source>
      <translation>サーバー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Port</source>
      <translation>ポート</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Security</source>
      <translation>暗号化</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>None (the connection stays on this computer)</source>
      <translation>なし（通信はこのパソコン内で完結します）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>User name</source>
      <translation>ユーザー名</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Password</source>
      <translation>パスワード</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Copy</source>
      <translation>コピー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Other programs</source>
      <translation>その他のソフト</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Copy %1</source>
      <translation>%1 をコピー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>1. File → Account Settings → Account Settings…, select your account, Change…
2. More Settings… → Outgoing Server: tick “My outgoing server requires authentication”, “Log on using” the user name and password above.
3. Advanced: Outgoing server (SMTP) %1, encryption None. On the same tab, move the “Server Timeouts” slider to Long (10 minutes): Outlook waits for the server while you review a mail.
4. Outgoing mail server: %2. Finish with Next → Done.</source>
      <translation>1.［ファイル］→［アカウント設定］→［アカウント設定］でアカウントを選び、［変更］をクリックします。
2.［詳細設定］→［送信サーバー］で「送信サーバー (SMTP) は認証が必要」をオンにし、「次のアカウントとパスワードでログオンする」に上のユーザー名とパスワードを入力します。
3.［詳細設定］タブで送信サーバー (SMTP) のポートを %1、暗号化の種類を「なし」にします。同じタブの「サーバーのタイムアウト」のスライダーを「長い」（10 分）まで動かしてください。確認画面でメールを確認している間、Outlook がサーバーの応答を待つようになります。
4. 送信メールサーバー (SMTP) に %2 と入力し、［次へ］→［完了］で閉じます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>1. Settings → Account Settings → Outgoing Server (SMTP) → Add…
2. Server Name %1, Port %2, Connection security None, Authentication method “Normal password”, User Name as above.
3. Select your account and choose this server as its Outgoing Server.
4. Let Thunderbird wait while you review a mail: Settings → General → Config Editor… (at the bottom), search mailnews.tcptimeout and set it to 300 (seconds).
5. Send a test mail: Thunderbird asks for the password once.</source>
      <translation>1.［設定］→［アカウント設定］→［送信 (SMTP) サーバー］→［追加］を開きます。
2. サーバー名 %1、ポート番号 %2、接続の保護「なし」、認証方式「通常のパスワード認証」、ユーザー名は上のとおり入力します。
3. 使っているアカウントを選び、送信 (SMTP) サーバーにこのサーバーを指定します。
4. メールを確認している間 Thunderbird が待つように設定します。［設定］→［一般］の一番下にある［設定エディター］を開き、mailnews.tcptimeout を検索して 300（秒）に変更してください。
5. テストメールを送ると、一度だけパスワードを聞かれます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>1. Mail → Settings → Accounts → your account → Server Settings.
2. Outgoing Mail Server (SMTP): Edit SMTP Server List… → add server %1.
3. Untick “Automatically manage connection settings”, Port %2, no TLS/SSL, Authentication Password, user and password as above.
4. Choose this server for your account and click Save.
5. Apple Mail has no timeout setting. If a long review ends in a send error, the mail stays in the Outbox: choose Mailbox → Take All Accounts Online to send it again.</source>
      <translation>1.［メール］→［設定］→［アカウント］で使っているアカウントの［サーバ設定］を開きます。
2. 送信用メールサーバ (SMTP) で［SMTP サーバリストを編集］を選び、サーバ %1 を追加します。
3.「接続設定を自動的に管理」をオフにし、ポート %2、TLS/SSL なし、認証「パスワード」、ユーザ名とパスワードは上のとおり入力します。
4. アカウントの送信用サーバにこのサーバを選び、［保存］をクリックします。
5. Apple Mail には待ち時間の設定がありません。確認に時間がかかって送信エラーになった場合も、メールは送信トレイに残ります。［メールボックス］→［すべてのアカウントをオンラインにする］を選ぶと、もう一度送信されます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Any program that sends over SMTP works with the settings above. The server's answer comes only after you decide in the review, so let the program wait at least 5 minutes (300 seconds):
• NeoMutt: set smtp_url = "smtp://%3@%1:%2/" and set socket_timeout = 300 (the default is 30 seconds).
• msmtp (used by mutt and others): timeout 300 in ~/.msmtprc.
• swaks: --timeout 300.
• s-nail / mailx: waits at most 42 seconds and cannot be changed. Decide within about 40 seconds; if it gives up, nothing is sent (with “set save” s-nail keeps the message in dead.letter).</source>
      <translation>SMTP で送信するソフトであれば、上の設定で使えます。サーバーの応答は確認画面で送信を決めたあとに返るため、応答を待つ時間を 5 分（300 秒）以上にしてください。
• NeoMutt: set smtp_url = "smtp://%3@%1:%2/" と set socket_timeout = 300 を設定します（初期値は 30 秒です）。
• msmtp（mutt などで使用）: ~/.msmtprc に timeout 300 と書きます。
• swaks: --timeout 300 を付けます。
• s-nail / mailx: 待ち時間は 42 秒に固定されていて、変更できません。40 秒ほどのうちに送信するか取り消すかを決めてください。時間切れになってもメールは送信されません（set save を設定していれば、s-nail はメールを dead.letter に保存します）。</translation>
    </message>
  </context>
  <context>
    <name>DomainsPage</name>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Your company's domain</source>
      <translation>会社のドメイン</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Mail to these domains is internal: colleagues are not marked as external recipients.</source>
      <translation>ここに登録したドメイン宛てのメールは社内宛てとして扱い、同僚を社外の宛先として表示しません。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Internal domains</source>
      <translation>社内ドメイン</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>another domain, e.g. group.example.co.jp</source>
      <translation>追加するドメイン（例: group.example.co.jp）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Domain to add</source>
      <translation>追加するドメイン</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>&amp;Add</source>
      <translation>追加(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>&amp;Remove</source>
      <translation>削除(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Your administrator has set the internal domains.</source>
      <translation>社内ドメインは管理者が設定しています。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Enter your company's mail domain (the part after @ in your colleagues' addresses).</source>
      <translation>会社のメールドメイン（同僚のメールアドレスの @ より後ろの部分）を入力してください。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Not a domain: %1</source>
      <translation>ドメインとして正しくありません: %1</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>%1 is a free mail service, not a company domain: add your company's domain if you have one.</source>
      <translation>%1 はフリーメールのドメインのため、会社のドメインとしては登録しません。会社のドメインがあれば追加してください。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard/domains_page.py" line="1" />
      <source>Proposed from your address %1. Add your company's other domains (group companies, former names).</source>
      <translation>お使いのアドレス %1 をもとに提案しています。グループ会社や旧社名など、ほかにも会社のドメインがあれば追加してください。</translation>
    </message>
  </context>
  <context>
    <name>StatusWindow</name>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>Your desktop has no system tray, so Missend Guard shows this window instead. Closing it keeps Missend Guard running; use Quit to stop it.</source>
      <translation>お使いのデスクトップにはシステムトレイがないため、代わりにこのウィンドウを表示しています。ウィンドウを閉じても Missend Guard は動き続けます。終了するには［終了］を押してください。</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>&amp;Mail waiting to be sent:</source>
      <translation>送信待ちのメール(&amp;M):</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>&amp;Undo</source>
      <translation>取り消す(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>Send &amp;now</source>
      <translation>今すぐ送信(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>&amp;Settings…</source>
      <translation>設定(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>&amp;Quit</source>
      <translation>終了(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>Delivery problem: %n mail(s) not sent yet</source>
      <translation>
        <numerusform>送信に問題があります: 未送信のメールが %n 件あります</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>Mail waiting to be sent</source>
      <translation>送信待ちのメールがあります</translation>
    </message>
    <message>
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>Checking every mail</source>
      <translation>すべてのメールを確認しています</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray/status_window.py" line="1" />
      <source>%1 — to %2 — goes out in %n s</source>
      <translation>
        <numerusform>%1 — 宛先 %2 — あと %n 秒で送信</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>DesktopActions</name>
    <message>
      <location filename="../../desktop/app.py" line="1" />
      <source>Nothing was sent.</source>
      <translation>テストのため、メールは送信していません。</translation>
    </message>
    <message>
      <location filename="../../desktop/app.py" line="1" />
      <source>The connection is encrypted and the server's certificate was checked.</source>
      <translation>通信は暗号化されており、サーバーの証明書も確認済みです。</translation>
    </message>
    <message>
      <location filename="../../desktop/app.py" line="1" />
      <source>Connected to %1 and logged in as %2.</source>
      <translation>%1 に接続し、%2 としてログインできました。</translation>
    </message>
    <message>
      <location filename="../../desktop/app.py" line="1" />
      <source>Connected to %1 (the server asks for no login).</source>
      <translation>%1 に接続できました（このサーバーはログイン不要です）。</translation>
    </message>
  </context>
  <context>
    <name>QueueMenus</name>
    <message numerus="yes">
      <source>%1 — %n s</source>
      <translation>
        <numerusform>%1 — あと %n 秒</numerusform>
      </translation>
    </message>
    <message>
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>取り消す(&amp;U)</translation>
    </message>
    <message>
      <source>Send &amp;now</source>
      <translation>今すぐ送信(&amp;N)</translation>
    </message>
    <message>
      <source>Show &amp;password…</source>
      <translation>パスワードを表示(&amp;P)…</translation>
    </message>
    <message>
      <source>No mail sent yet</source>
      <translation>送信済みのメールはまだありません</translation>
    </message>
    <message>
      <source>Waiting to retry</source>
      <translation>再送を待っています</translation>
    </message>
    <message>
      <source>&amp;Retry now</source>
      <translation>今すぐ再送(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Show</source>
      <translation>表示(&amp;S)</translation>
    </message>
    <message>
      <source>Move to &amp;Returned</source>
      <translation>送信をやめて戻す(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Details…</source>
      <translation>詳細(&amp;D)…</translation>
    </message>
  </context>
  <context>
    <name>DetailsWindow</name>
    <message>
      <source>Why the mail was not sent</source>
      <translation>メールが送信されなかった理由</translation>
    </message>
    <message>
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <source>“%1” to %2</source>
      <translation>%2 宛ての「%1」</translation>
    </message>
    <message>
      <source>&amp;Copy</source>
      <translation>コピー(&amp;C)</translation>
    </message>
  </context>
  <context>
    <name>ReturnedWindow</name>
    <message>
      <source>Returned mail</source>
      <translation>送信をやめたメール</translation>
    </message>
    <message>
      <source>These mails were taken back before they were sent. Open one in your mail app to change it and send it from there, or send it again as it is: it is checked again first.</source>
      <translation>送信する前に取り消したメールです。メールソフトで開いて修正し、そこから送信するか、このままもう一度送信してください（送信の前にもう一度チェックします）。</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>件名</translation>
    </message>
    <message>
      <source>Recipients</source>
      <translation>宛先</translation>
    </message>
    <message>
      <source>Confirmed at</source>
      <translation>送信を確定した日時</translation>
    </message>
    <message>
      <source>&amp;Open in mail app</source>
      <translation>メールソフトで開く(&amp;O)</translation>
    </message>
    <message>
      <source>Send &amp;again…</source>
      <translation>もう一度送信(&amp;A)…</translation>
    </message>
    <message>
      <source>Sa&amp;ve as…</source>
      <translation>名前を付けて保存(&amp;V)…</translation>
    </message>
    <message>
      <source>&amp;Copy path</source>
      <translation>保存場所をコピー(&amp;C)</translation>
    </message>
    <message>
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <source>The mail's file could not be found: %1</source>
      <translation>メールのファイルが見つかりません: %1</translation>
    </message>
    <message>
      <source>No program on this computer opened the mail file. Open it from your mail app (for example File › Open) or double-click it; it is saved here:</source>
      <translation>このコンピューターには、メールのファイルを開くプログラムが設定されていません。メールソフトから開く（例: ファイル › 開く）か、ファイルをダブルクリックしてください。保存場所は次のとおりです:</translation>
    </message>
    <message>
      <source>No program on this computer opened the mail file, so its folder was opened instead. Double-click the file or open it from your mail app; it is saved here:</source>
      <translation>このコンピューターには、メールのファイルを開くプログラムが設定されていないため、保存先のフォルダーを開きました。ファイルをダブルクリックするか、メールソフトから開いてください。保存場所は次のとおりです:</translation>
    </message>
    <message>
      <source>Sent to the check again; the review window opens if anything needs a look.</source>
      <translation>もう一度チェックに回しました。確認が必要な点があれば、確認画面が開きます。</translation>
    </message>
    <message>
      <source>Save the mail as</source>
      <translation>メールを保存</translation>
    </message>
    <message>
      <source>Mail files (*.eml)</source>
      <translation>メールファイル (*.eml)</translation>
    </message>
    <message>
      <source>The mail could not be saved: %1</source>
      <translation>メールを保存できませんでした: %1</translation>
    </message>
    <message>
      <source>Saved as %1.</source>
      <translation>%1 に保存しました。</translation>
    </message>
  </context>
  <context>
    <name>ReturnedDesk</name>
    <message>
      <source>This mail is no longer in the list.</source>
      <translation>このメールはもう一覧にありません。</translation>
    </message>
    <message>
      <source>Sent again: it waits in the tray like any mail you confirm, and can be undone there.</source>
      <translation>もう一度送信しました。確定したほかのメールと同じく送信まで待機し、その間はトレイから取り消せます。</translation>
    </message>
    <message>
      <source>Not sent: it was cancelled in the review. It stays in this list.</source>
      <translation>確認画面で中止したため、送信していません。メールはこの一覧に残っています。</translation>
    </message>
    <message>
      <source>Not sent: %1. It stays in this list.</source>
      <translation>送信できませんでした（%1）。メールはこの一覧に残っています。</translation>
    </message>
  </context>
  <context>
    <name>OutlookMenu</name>
    <message>
      <location filename="../../ui/tray/outlook_menu.py" line="1" />
      <source>Held in &amp;Outlook</source>
      <translation>Outlook で送信待ちのメール(&amp;O)</translation>
    </message>
    <message>
      <location filename="../../ui/tray/outlook_menu.py" line="1" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/tray/outlook_menu.py" line="1" />
      <source>Undo: %1 (%2 s left)</source>
      <translation>送信を取り消す：%1（残り %2 秒）</translation>
    </message>
  </context>
  <context>
    <name>ClientPage</name>
    <message>
      <location filename="../../ui/wizard/client_page.py" line="1" />
      <source>Also check mail I send from classic Outlook (Exchange / Microsoft 365 accounts)</source>
      <translation>従来の Outlook（Exchange / Microsoft 365 のアカウント）から送るメールも確認する</translation>
    </message>
  </context>
</TS>
