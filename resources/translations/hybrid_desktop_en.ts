<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AuditLogDialog</name>
    <message numerus="yes">
        <source>%n request(s) have left this device.</source>
        <translation>
            <numerusform>%n request has left this device.</numerusform>
            <numerusform>%n requests have left this device.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The newest %n are shown.</source>
        <translation>
            <numerusform>The newest is shown.</numerusform>
            <numerusform>The newest %n are shown.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatBadges</name>
    <message numerus="yes">
        <source>%n token(s) at {rate} tokens/s</source>
        <translation>
            <numerusform>%n token at {rate} tokens/s</numerusform>
            <numerusform>%n tokens at {rate} tokens/s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message numerus="yes">
        <source>{title}
%n message(s) · updated {updated} UTC</source>
        <translation>
            <numerusform>{title}
%n message · updated {updated} UTC</numerusform>
            <numerusform>{title}
%n messages · updated {updated} UTC</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EdgeServerDialog</name>
    <message numerus="yes">
        <source>The server serves %n models.</source>
        <translation>
            <numerusform>The server serves %n model.</numerusform>
            <numerusform>The server serves %n models.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RouteCounts</name>
    <message numerus="yes">
        <source>{count} requests:</source>
        <translation>
            <numerusform>{count} request:</numerusform>
            <numerusform>{count} requests:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RouteShareChart</name>
    <message numerus="yes">
        <source>the last %n weeks shown</source>
        <translation>
            <numerusform>the last week shown</numerusform>
            <numerusform>the last %n weeks shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last %n months shown</source>
        <translation>
            <numerusform>the last month shown</numerusform>
            <numerusform>the last %n months shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last %n days shown</source>
        <translation>
            <numerusform>the last day shown</numerusform>
            <numerusform>the last %n days shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{when}: %n requests; {parts}</source>
        <translation>
            <numerusform>{when}: %n request; {parts}</numerusform>
            <numerusform>{when}: %n requests; {parts}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message numerus="yes">
        <source>%n message(s) (the newest)</source>
        <translation>
            <numerusform>%n message (the newest)</numerusform>
            <numerusform>%n messages (the newest)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message numerus="yes">
        <source>%n models available.</source>
        <translation>
            <numerusform>%n model available.</numerusform>
            <numerusform>%n models available.</numerusform>
        </translation>
    </message>
</context>
</TS>
