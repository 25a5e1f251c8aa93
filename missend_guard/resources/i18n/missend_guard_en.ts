<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<!-- English needs only its plural forms: every other source string is already English. -->
  <context>
    <name>TrayController</name>
    <message numerus="yes">
      <source>%n second(s)</source>
      <translation>
        <numerusform>%n second</numerusform>
        <numerusform>%n seconds</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n mail(s) are still waiting to be sent. They stay in the outbox and are sent when Missend Guard starts again. Quit now?</source>
      <translation>
        <numerusform>%n mail is still waiting to be sent. It stays in the outbox and is sent when Missend Guard starts again. Quit now?</numerusform>
        <numerusform>%n mails are still waiting to be sent. They stay in the outbox and are sent when Missend Guard starts again. Quit now?</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>UndoToast</name>
    <message numerus="yes">
      <source>Sending in %n second(s)</source>
      <translation>
        <numerusform>Sending in %n second</numerusform>
        <numerusform>Sending in %n seconds</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>StatusWindow</name>
    <message numerus="yes">
      <source>Delivery problem: %n mail(s) not sent yet</source>
      <translation>
        <numerusform>Delivery problem: %n mail not sent yet</numerusform>
        <numerusform>Delivery problem: %n mails not sent yet</numerusform>
      </translation>
    </message>
  </context>
</TS>
