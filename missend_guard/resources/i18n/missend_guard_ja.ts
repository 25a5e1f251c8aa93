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
    <name>DesktopApp</name>
    <message>
      <location filename="../../desktop.py" line="154" />
      <source>Setting not changed</source>
      <translation>設定を変更できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="168" />
      <source>Start at login not changed</source>
      <translation>ログイン時の起動設定を変更できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="206" />
      <source>Setup not saved</source>
      <translation>設定を保存できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="211" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="211" />
      <source>Missend Guard is already running.</source>
      <translation>Missend Guard はすでに起動しています。</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="158" />
      <source>Password not kept</source>
      <translation>パスワードを保存できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="167" />
      <location filename="../../desktop.py" line="170" />
      <source>Password not available</source>
      <translation>パスワードを表示できません</translation>
    </message>
    <message>
      <location filename="../../desktop.py" line="171" />
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
      <source>Tell the password by phone or chat, not by mail.</source>
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
  </context>
  <context>
    <name>ProtectDialog</name>
    <message>
      <location filename="../../ui/protect_dialog.py" line="178" />
      <source>Protect attachments</source>
      <translation>添付ファイルの保護</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="181" />
      <source>Encrypt (PDF)</source>
      <translation>暗号化（PDF）</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="182" />
      <source>Encrypt as ZIP</source>
      <translation>ZIP で暗号化</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="183" />
      <source>Send as is</source>
      <translation>そのまま送る</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="184" />
      <source>Remove from this mail</source>
      <translation>このメールから外す</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="198" />
      <source>These files go unencrypted to recipients outside your organisation. Choose for each file; the password is then told to the recipients by phone or chat, never by mail.</source>
      <translation>次のファイルは暗号化されないまま社外の宛先に送られます。ファイルごとに対応を選んでください。パスワードはメールではなく、電話やチャットで相手の方にお伝えいただきます。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="204" />
      <source>Many organisations strip or quarantine encrypted ZIP files, so PDF encryption is offered first for PDFs.</source>
      <translation>暗号化 ZIP は、受信側の組織で削除・隔離されることが多くなっています。そのため PDF には PDF の暗号化を優先してご提案しています。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/protect_dialog.py" line="209" />
      <source>Files (%n)</source>
      <translation>
        <numerusform>ファイル（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="212" />
      <source>Apply to all files…</source>
      <translation>すべてのファイルに適用…</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="215" />
      <source>Apply to all files</source>
      <translation>すべてのファイルに適用</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="223" />
      <source>⚠ %1 may not accept encrypted ZIP files. Prefer PDF encryption or another way of sharing.</source>
      <translation>⚠ %1 では暗号化 ZIP を受け取れない可能性があります。PDF の暗号化か、別の共有方法をご検討ください。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="210" />
      <source>⚠ %1 may not accept encrypted ZIP files. Consider sharing this file another way, such as your organisation's file-sharing service.</source>
      <translation>⚠ %1 では暗号化 ZIP を受け取れない可能性があります。社内のファイル共有サービスなど、別の方法での共有をご検討ください。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="236" />
      <source>Your organisation requires files sent outside to be protected, so “Send as is” is not available.</source>
      <translation>社外に送るファイルは保護することが社内規程で必須になっているため、「そのまま送る」は選べません。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="243" />
      <source>I understand that the files marked “Send as is” go out unencrypted; this is recorded in the audit log</source>
      <translation>「そのまま送る」を選んだファイルが暗号化されずに送られることを理解しました（監査ログに記録されます）</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="249" />
      <source>There is no unprotected file going outside.</source>
      <translation>社外に送る未保護のファイルはありません。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="252" />
      <source>Password</source>
      <translation>パスワード</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="256" />
      <source>Generated password</source>
      <translation>自動生成のパスワード</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="257" />
      <source>&amp;Regenerate</source>
      <translation>作り直す(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="260" />
      <source>Use a &amp;generated password</source>
      <translation>自動生成のパスワードを使う(&amp;G)</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="261" />
      <source>Use &amp;my own password</source>
      <translation>自分で決めたパスワードを使う(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="267" />
      <source>Your password</source>
      <translation>ご自身のパスワード</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="273" />
      <source>Files already protected in this mail use this password; it is used again.</source>
      <translation>このメールで保護済みのファイルと同じパスワードを使います。</translation>
    </message>
    <message>
      <location filename="../../ui/protect_dialog.py" line="301" />
      <source>&amp;Apply</source>
      <translation>適用(&amp;A)</translation>
    </message>
  </context>
  <context>
    <name>QtReviewer</name>
    <message>
      <location filename="../../ui/bridge.py" line="127" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/bridge.py" line="138" />
      <source>Review withdrawn</source>
      <translation>確認を中止しました</translation>
    </message>
    <message>
      <location filename="../../ui/bridge.py" line="139" />
      <source>The mail app stopped waiting for “%1”. Nothing was sent.</source>
      <translation>メールソフトが「%1」の送信を中止しました。メールは送信されていません。</translation>
    </message>
  </context>
  <context>
    <name>ReviewDialog</name>
    <message>
      <location filename="../../ui/review_dialog.py" line="55" />
      <source>Check before sending</source>
      <translation>送信前の確認</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="84" />
      <location filename="../../ui/review_dialog.py" line="144" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="91" />
      <source>From: %1</source>
      <translation>差出人: %1</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review_dialog.py" line="100" />
      <source>External recipients (%n)</source>
      <translation>
        <numerusform>社外の宛先（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="106" />
      <source>External</source>
      <translation>社外</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="113" />
      <source>Move external To/Cc recipients to &amp;Bcc</source>
      <translation>社外の To/Cc を Bcc に移す(&amp;B)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review_dialog.py" line="119" />
      <source>Internal recipients (%n)</source>
      <translation>
        <numerusform>社内の宛先（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="123" />
      <source>All internal recipients checked</source>
      <translation>社内の宛先をすべて確認しました</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="141" />
      <source>Subject and text</source>
      <translation>件名と本文</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="144" />
      <source>Subject: %1</source>
      <translation>件名: %1</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="149" />
      <source>I have read the text</source>
      <translation>本文を確認しました</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review_dialog.py" line="159" />
      <source>Attachments (%n)</source>
      <translation>
        <numerusform>添付ファイル（%n件）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="177" />
      <source>Cancel (fix in mail app)</source>
      <translation>キャンセル（メールソフトで修正）</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="178" />
      <source>&amp;Send</source>
      <translation>送信(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="202" />
      <source>I have checked this warning</source>
      <translation>上記の注意を確認しました</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="203" />
      <source>I have checked this: %1</source>
      <translation>確認しました: %1</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review_dialog.py" line="217" />
      <source>External: %n</source>
      <translation>
        <numerusform>社外 %n件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review_dialog.py" line="218" />
      <source>Attachments: %n</source>
      <translation>
        <numerusform>添付 %n件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/review_dialog.py" line="219" />
      <source>Warnings: %n</source>
      <translation>
        <numerusform>注意 %n件</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="225" />
      <source>Mail %1 of %2</source>
      <translation>%2 通中 %1 通目</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="249" />
      <source>Checked %1 of %2</source>
      <translation>確認済み %1 / %2</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="268" />
      <source>External recipients moved to Bcc (they still receive the mail)</source>
      <translation>社外の宛先を Bcc に移しました（メールは引き続き届きます）</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="118" />
      <source>⛔ This mail cannot be sent as it is. Cancel, correct it in your mail app and send it again.</source>
      <translation>⛔ このメールはこのままでは送信できません。キャンセルしてメールアプリで修正し、送り直してください。</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="201" />
      <source>&amp;Protect…</source>
      <translation>保護(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../ui/review_dialog.py" line="203" />
      <source>Encrypt, remove or knowingly send the unprotected files</source>
      <translation>未保護のファイルを暗号化する・外す・承知の上でそのまま送る</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
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
      <location filename="../../ui/wizard.py" line="217" />
      <source>Set up Missend Guard</source>
      <translation>Missend Guard のセットアップ</translation>
    </message>
  </context>
  <context>
    <name>TrayController</name>
    <message>
      <location filename="../../ui/tray.py" line="57" />
      <location filename="../../ui/tray.py" line="175" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="78" />
      <source>&amp;Held mails</source>
      <translation>送信待ちのメール(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="79" />
      <source>&amp;Failed mails</source>
      <translation>送信できなかったメール(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="81" />
      <source>Open &amp;audit log</source>
      <translation>監査ログを開く(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="82" />
      <source>&amp;Settings…</source>
      <translation>設定(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="84" />
      <source>&amp;Quit</source>
      <translation>終了(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="88" />
      <source>&amp;Pause checks</source>
      <translation>確認を一時停止(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="89" />
      <source>For 15 minutes</source>
      <translation>15 分間</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="89" />
      <source>For 1 hour</source>
      <translation>1 時間</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="89" />
      <source>Until resumed</source>
      <translation>再開するまで</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="97" />
      <source>&amp;Resume checks</source>
      <translation>確認を再開(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="100" />
      <source>&amp;Undo window</source>
      <translation>送信取り消しの猶予(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="104" />
      <source>Off (send at once)</source>
      <translation>なし（すぐに送信）</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray.py" line="104" />
      <source>%n second(s)</source>
      <translation>
        <numerusform>%n 秒</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="169" />
      <source>Checking every mail</source>
      <translation>すべてのメールを確認しています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="170" />
      <source>Checks paused</source>
      <translation>確認を一時停止しています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="171" />
      <source>Mail waiting to be sent</source>
      <translation>送信待ちのメールがあります</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="172" />
      <source>Delivery problem</source>
      <translation>送信に問題があります</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="195" />
      <source>Could not undo</source>
      <translation>取り消せませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="204" />
      <source>Could not send now</source>
      <translation>今すぐ送信できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="208" />
      <source>Could not retry</source>
      <translation>再送できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="219" />
      <source>Quit Missend Guard?</source>
      <translation>Missend Guard を終了しますか？</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray.py" line="220" />
      <source>%n mail(s) are still waiting to be sent. They stay in the outbox and are sent when Missend Guard starts again. Quit now?</source>
      <translation>
        <numerusform>送信待ちのメールが %n 通あります。メールは送信トレイに残り、次に Missend Guard を起動したときに送信されます。終了しますか？</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="240" />
      <source>Mail waiting</source>
      <translation>メールが待機しています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="244" />
      <source>Delivered</source>
      <translation>送信しました</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="244" />
      <source>“%1” was delivered after a retry.</source>
      <translation>「%1」は再送により送信できました。</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="248" />
      <source>Not delivered</source>
      <translation>送信できませんでした</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="248" />
      <source>“%1” could not be sent: %2</source>
      <translation>「%1」を送信できませんでした: %2</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/tray.py" line="297" />
      <source>%1 — %n s</source>
      <translation>
        <numerusform>%1 — あと %n 秒</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="297" />
      <location filename="../../ui/tray.py" line="306" />
      <source>(no subject)</source>
      <translation>（件名なし）</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="299" />
      <source>&amp;Undo</source>
      <translation>取り消す(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="300" />
      <source>Send &amp;now</source>
      <translation>今すぐ送信(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="307" />
      <source>Waiting to retry</source>
      <translation>再送を待っています</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="309" />
      <source>&amp;Retry now</source>
      <translation>今すぐ再送(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="310" />
      <source>&amp;Show</source>
      <translation>表示(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../ui/tray.py" line="311" />
      <source>Move to &amp;Returned</source>
      <translation>送信をやめて戻す(&amp;T)</translation>
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
    <name>_ClientPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="114" />
      <source>Point your mail app at Missend Guard</source>
      <translation>メールソフトの送信先を Missend Guard にします</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="115" />
      <source>Change the outgoing (SMTP) server in your mail app to exactly this:</source>
      <translation>メールソフトの送信（SMTP）サーバーを次のとおり設定してください:</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="120" />
      <source>Server</source>
      <translation>サーバー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="121" />
      <source>Port</source>
      <translation>ポート</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="122" />
      <source>Security</source>
      <translation>暗号化</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="122" />
      <source>None (the connection stays on this computer)</source>
      <translation>なし（通信はこのパソコン内で完結します）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="123" />
      <source>User name</source>
      <translation>ユーザー名</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="124" />
      <source>Password</source>
      <translation>パスワード</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="131" />
      <source>Copy</source>
      <translation>コピー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="132" />
      <source>Copy %1</source>
      <translation>%1 をコピー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="149" />
      <source>1. File → Account Settings → Account Settings…, select your account, Change…
2. More Settings… → Outgoing Server: tick “My outgoing server requires authentication”, “Log on using” the user name and password above.
3. Advanced: Outgoing server (SMTP) %1, encryption None.
4. Outgoing mail server: %2. Finish with Next → Done.</source>
      <translation>1.［ファイル］→［アカウント設定］→［アカウント設定］でアカウントを選び、［変更］をクリックします。
2.［詳細設定］→［送信サーバー］で「送信サーバー (SMTP) は認証が必要」をオンにし、「次のアカウントとパスワードでログオンする」に上のユーザー名とパスワードを入力します。
3.［詳細設定］タブで送信サーバー (SMTP) のポートを %1、暗号化の種類を「なし」にします。
4. 送信メールサーバー (SMTP) に %2 と入力し、［次へ］→［完了］で閉じます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="156" />
      <source>1. Settings → Account Settings → Outgoing Server (SMTP) → Add…
2. Server Name %1, Port %2, Connection security None, Authentication method “Normal password”, User Name as above.
3. Select your account and choose this server as its Outgoing Server.
4. Send a test mail: Thunderbird asks for the password once.</source>
      <translation>1.［設定］→［アカウント設定］→［送信 (SMTP) サーバー］→［追加］を開きます。
2. サーバー名 %1、ポート番号 %2、接続の保護「なし」、認証方式「通常のパスワード認証」、ユーザー名は上のとおり入力します。
3. 使っているアカウントを選び、送信 (SMTP) サーバーにこのサーバーを指定します。
4. テストメールを送ると、一度だけパスワードを聞かれます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="163" />
      <source>1. Mail → Settings → Accounts → your account → Server Settings.
2. Outgoing Mail Server (SMTP): Edit SMTP Server List… → add server %1.
3. Untick “Automatically manage connection settings”, Port %2, no TLS/SSL, Authentication Password, user and password as above.
4. Choose this server for your account and click Save.</source>
      <translation>1.［メール］→［設定］→［アカウント］で使っているアカウントの［サーバ設定］を開きます。
2. 送信用メールサーバ (SMTP) で［SMTP サーバリストを編集］を選び、サーバ %1 を追加します。
3.「接続設定を自動的に管理」をオフにし、ポート %2、TLS/SSL なし、認証「パスワード」、ユーザ名とパスワードは上のとおり入力します。
4. アカウントの送信用サーバにこのサーバを選び、［保存］をクリックします。</translation>
    </message>
  </context>
  <context>
    <name>_ContactsPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="177" />
      <source>Import your contacts (optional)</source>
      <translation>連絡先の取り込み（任意）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="179" />
      <source>Known contacts make look-alike addresses and first-time recipients stand out.</source>
      <translation>連絡先があると、よく似たアドレスや初めての宛先を見分けやすくなります。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="182" />
      <source>&amp;Import vCard or CSV…</source>
      <translation>vCard または CSV を取り込む(&amp;I)…</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="185" />
      <source>Export contacts from Outlook or Thunderbird as CSV or vCard, then import.</source>
      <translation>Outlook や Thunderbird から連絡先を CSV または vCard で書き出し、ここで取り込んでください。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="194" />
      <source>Import contacts</source>
      <translation>連絡先の取り込み</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="194" />
      <source>Contacts (*.vcf *.csv)</source>
      <translation>連絡先 (*.vcf *.csv)</translation>
    </message>
  </context>
  <context>
    <name>_ServerPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="61" />
      <source>Your mail server</source>
      <translation>お使いのメールサーバー</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="62" />
      <source>Use the outgoing (SMTP) settings your mail app uses today.</source>
      <translation>いまメールソフトで使っている送信（SMTP）サーバーの設定を入力してください。</translation>
    </message>
  </context>
  <context>
    <name>_TestPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="86" />
      <source>Test the connection</source>
      <translation>接続テスト</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="87" />
      <source>Missend Guard logs in to the server without sending anything.</source>
      <translation>メールは送信せずに、サーバーへのログインだけを試します。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="89" />
      <source>&amp;Test connection</source>
      <translation>接続テスト(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="91" />
      <source>Not tested yet. You can also test later from Settings.</source>
      <translation>まだテストしていません。あとから設定画面でもテストできます。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="102" />
      <source>Connecting…</source>
      <translation>接続しています…</translation>
    </message>
  </context>
  <context>
    <name>_UpstreamPage</name>
    <message>
      <location filename="../../ui/wizard.py" line="46" />
      <source>How do you send mail?</source>
      <translation>メールの送信方法</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="47" />
      <source>Missend Guard checks each mail, then passes it on to your mail server.</source>
      <translation>Missend Guard はメールを 1 通ずつ確認してから、お使いのメールサーバーに渡します。</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="49" />
      <source>An SMTP server (most providers and company servers)</source>
      <translation>SMTP サーバー（多くのプロバイダーや社内サーバー）</translation>
    </message>
    <message>
      <location filename="../../ui/wizard.py" line="51" />
      <source>Microsoft 365 (coming soon)</source>
      <translation>Microsoft 365（近日対応）</translation>
    </message>
  </context>
  <context>
    <name>desktop</name>
    <message>
      <location filename="../../desktop.py" line="298" />
      <source>Missend Guard</source>
      <translation>Missend Guard</translation>
    </message>
  </context>
</TS>