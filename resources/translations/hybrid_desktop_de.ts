<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>Accessible</name>
    <message>
        <source>Apply the changes and close</source>
        <translation>Änderungen übernehmen und schließen</translation>
    </message>
    <message>
        <source>Save and close</source>
        <translation>Speichern und schließen</translation>
    </message>
    <message>
        <source>Apply the changes and keep this open</source>
        <translation>Änderungen übernehmen, Fenster bleibt offen</translation>
    </message>
    <message>
        <source>Close without changing anything</source>
        <translation>Schließen, ohne etwas zu ändern</translation>
    </message>
    <message>
        <source>Close this window</source>
        <translation>Dieses Fenster schließen</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Close and discard the changes</source>
        <translation>Schließen und die Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Put back the values shown when this opened</source>
        <translation>Die Werte beim Öffnen wiederherstellen</translation>
    </message>
    <message>
        <source>Put back the default values</source>
        <translation>Die Standardwerte wiederherstellen</translation>
    </message>
    <message>
        <source>Show help for this window</source>
        <translation>Hilfe zu diesem Fenster anzeigen</translation>
    </message>
</context>
<context>
    <name>AnswerNotice</name>
    <message>
        <source>the local model</source>
        <extracomment>The most of an answer a notification or an announcement quotes. Where an answer came from, in words (translated where used, in the context ``AnswerNotice``).</extracomment>
        <translation>lokales Modell</translation>
    </message>
    <message>
        <source>the cloud model</source>
        <translation>Cloud-Modell</translation>
    </message>
    <message>
        <source>an edge server</source>
        <translation>Edge-Server</translation>
    </message>
    <message>
        <source>Answer ready from {where}</source>
        <translation>Antwort bereit ({where})</translation>
    </message>
    <message>
        <source>{title}. {preview}</source>
        <extracomment>(title, text) of each notification shown, newest last (for the log and tests).</extracomment>
        <translation>{title}. {preview}</translation>
    </message>
    <message>
        <source>{app}: {title}</source>
        <translation>{app}: {title}</translation>
    </message>
    <message>
        <source>(an empty answer)</source>
        <translation>(eine leere Antwort)</translation>
    </message>
</context>
<context>
    <name>AuditLogDialog</name>
    <message>
        <source>sent</source>
        <extracomment>``AuditEntry.status`` as the audit log&apos;s Status column shows it (translated there).</extracomment>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>zurückgehalten</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>Ersetzt</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Privacy Audit Log</source>
        <translation>Datenschutz-Protokoll</translation>
    </message>
    <message>
        <source>Every request that left this device; select one to see its text below</source>
        <translation>Jede Anfrage, die dieses Gerät verlassen hat; wählen Sie eine aus, um unten ihren Text zu sehen</translation>
    </message>
    <message>
        <source>Requests sent</source>
        <translation>Gesendete Anfragen</translation>
    </message>
    <message>
        <source>Column titles</source>
        <translation>Spaltentitel</translation>
    </message>
    <message>
        <source>The titles of the columns</source>
        <translation>Die Titel der Spalten</translation>
    </message>
    <message>
        <source>Row numbers</source>
        <translation>Zeilennummern</translation>
    </message>
    <message>
        <source>The number of each request</source>
        <translation>Die Nummer jeder Anfrage</translation>
    </message>
    <message>
        <source>Select a request to see exactly what was sent.</source>
        <translation>Wählen Sie eine Anfrage aus, um genau zu sehen, was gesendet wurde.</translation>
    </message>
    <message>
        <source>Exactly what was sent for the selected request</source>
        <translation>Genau das, was für die ausgewählte Anfrage gesendet wurde</translation>
    </message>
    <message>
        <source>Text sent</source>
        <translation>Gesendeter Text</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Save the audit log to a JSON Lines or CSV file</source>
        <translation>Das Protokoll als JSON-Lines- oder CSV-Datei speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close this window</source>
        <translation>Dieses Fenster schließen</translation>
    </message>
    <message>
        <source>Nothing has been sent from this device.</source>
        <translation>Von diesem Gerät wurde nichts gesendet.</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) have left this device.</source>
        <translation>
            <numerusform>%n Anfrage hat dieses Gerät verlassen.</numerusform>
            <numerusform>%n Anfragen haben dieses Gerät verlassen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The newest %n are shown.</source>
        <translation>
            <numerusform>Die neueste wird angezeigt.</numerusform>
            <numerusform>Die neuesten %n werden angezeigt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>Exportiert nach {path}</translation>
    </message>
    <message>
        <source>Export Audit Log</source>
        <translation>Protokoll exportieren</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl);;CSV (*.csv)</source>
        <translation>JSON Lines (*.jsonl);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>AuditTable</name>
    <message>
        <source>Time</source>
        <extracomment>English source strings, translated where they are shown (``_t``).</extracomment>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Weg</translation>
    </message>
    <message>
        <source>Server / model</source>
        <translation>Server / Modell</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Latency ms</source>
        <translation>Latenz ms</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>a private conversation: not kept</source>
        <translation>eine private Unterhaltung: nicht aufbewahrt</translation>
    </message>
    <message>
        <source>its conversation was deleted</source>
        <translation>ihre Unterhaltung wurde gelöscht</translation>
    </message>
    <message>
        <source>Enter or double-click opens the conversation</source>
        <translation>Eingabetaste oder Doppelklick öffnet die Unterhaltung</translation>
    </message>
    <message>
        <source>unpriced</source>
        <translation>ohne Preis</translation>
    </message>
    <message>
        <source>free</source>
        <translation>kostenlos</translation>
    </message>
    <message>
        <source>{prompt} prompt + {completion} completion</source>
        <translation>{prompt} Prompt + {completion} Antwort</translation>
    </message>
</context>
<context>
    <name>AuditWindow</name>
    <message>
        <source>Workload Audit</source>
        <extracomment>English source strings (the labels below too), translated where they are shown (``_t``).</extracomment>
        <translation>Auswertung</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <extracomment>The period choices (of the summary, the charts and the table&apos;s dates): label, ``since``.</extracomment>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Gesamter Zeitraum</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>All routes</source>
        <translation>Alle Wege</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
    <message>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>No requests yet: ask something and it shows here.</source>
        <translation>Noch keine Anfragen: Stellen Sie eine Frage, dann erscheint sie hier.</translation>
    </message>
    <message>
        <source>The workload audit could not be read; details are in the log file.</source>
        <translation>Die Auswertung konnte nicht gelesen werden; Einzelheiten stehen in der Logdatei.</translation>
    </message>
    <message>
        <source>No requests yet</source>
        <extracomment>The summary shown (``audit.summary``&apos;s body, with ``cloud_model`` and ``ever``).</extracomment>
        <translation>Noch keine Anfragen</translation>
    </message>
    <message>
        <source>Period of the summary and charts</source>
        <translation>Zeitraum der Übersicht und der Diagramme</translation>
    </message>
    <message>
        <source>Which days the figures, the charts and the table&apos;s dates cover</source>
        <translation>Welche Tage die Zahlen, die Diagramme und die Tabelle umfassen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Refresh the audit</source>
        <translation>Auswertung aktualisieren</translation>
    </message>
    <message>
        <source>Read the figures, the charts and the table afresh</source>
        <translation>Zahlen, Diagramme und Tabelle neu einlesen</translation>
    </message>
    <message>
        <source>Audit status</source>
        <translation>Status der Auswertung</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>Requests per day, week or month</source>
        <translation>Anfragen je Tag, Woche oder Monat</translation>
    </message>
    <message>
        <source>Whether each bar of the chart is a day, a week or a month</source>
        <translation>Ob jeder Balken des Diagramms ein Tag, eine Woche oder ein Monat ist</translation>
    </message>
    <message>
        <source>Sho&amp;w per:</source>
        <translation>Anzeigen &amp;je:</translation>
    </message>
    <message>
        <source>Which buckets the chart shows</source>
        <translation>Welche Zeitabschnitte das Diagramm zeigt</translation>
    </message>
    <message>
        <source>Share of requests per route</source>
        <translation>Anteil der Anfragen je Weg</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>The requests that match the filters; Enter or double-click opens a conversation</source>
        <translation>Die Anfragen, die zu den Filtern passen; Eingabetaste oder Doppelklick öffnet eine Unterhaltung</translation>
    </message>
    <message>
        <source>Requests: columns</source>
        <translation>Anfragen: Spalten</translation>
    </message>
    <message>
        <source>The titles of the table&apos;s columns</source>
        <translation>Die Spaltenüberschriften der Tabelle</translation>
    </message>
    <message>
        <source>Filter the requests by route</source>
        <translation>Anfragen nach Weg filtern</translation>
    </message>
    <message>
        <source>Show the requests of one route only, or of all</source>
        <translation>Nur die Anfragen eines Wegs zeigen oder die aller Wege</translation>
    </message>
    <message>
        <source>Filter the requests by status</source>
        <translation>Anfragen nach Status filtern</translation>
    </message>
    <message>
        <source>Show the requests that ended one way only, or all</source>
        <translation>Nur die Anfragen mit einem bestimmten Ausgang zeigen oder alle</translation>
    </message>
    <message>
        <source>Reason contains…</source>
        <translation>Grund enthält…</translation>
    </message>
    <message>
        <source>Show only the requests whose reason contains this text</source>
        <translation>Nur die Anfragen zeigen, deren Grund diesen Text enthält</translation>
    </message>
    <message>
        <source>Filter the requests by reason</source>
        <translation>Anfragen nach Grund filtern</translation>
    </message>
    <message>
        <source>Filter the requests by date</source>
        <translation>Anfragen nach Datum filtern</translation>
    </message>
    <message>
        <source>Show the requests of the last days only, or of all time</source>
        <translation>Nur die Anfragen der letzten Tage zeigen oder die des gesamten Zeitraums</translation>
    </message>
    <message>
        <source>Rows shown</source>
        <translation>Angezeigte Zeilen</translation>
    </message>
    <message>
        <source>◀ Pre&amp;vious</source>
        <translation>◀ &amp;Vorherige</translation>
    </message>
    <message>
        <source>Previous page of requests</source>
        <translation>Vorherige Seite der Anfragen</translation>
    </message>
    <message>
        <source>Show the hundred requests before these</source>
        <translation>Die hundert Anfragen vor diesen zeigen</translation>
    </message>
    <message>
        <source>&amp;Next ▶</source>
        <translation>&amp;Nächste ▶</translation>
    </message>
    <message>
        <source>Next page of requests</source>
        <translation>Nächste Seite der Anfragen</translation>
    </message>
    <message>
        <source>Show the hundred requests after these</source>
        <translation>Die hundert Anfragen nach diesen zeigen</translation>
    </message>
    <message>
        <source>The history is not open yet: try Refresh in a moment.</source>
        <translation>Der Verlauf ist noch nicht geöffnet: Versuchen Sie es gleich noch einmal mit „Aktualisieren“.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>rows {first}–{last} of {total}</source>
        <translation>Zeilen {first}–{last} von {total}</translation>
    </message>
    <message>
        <source>No requests match.</source>
        <translation>Keine passenden Anfragen.</translation>
    </message>
    <message>
        <source>no rows here, of {total}</source>
        <translation>hier keine Zeilen, von {total}</translation>
    </message>
    <message>
        <source>That request was in a private conversation: not kept.</source>
        <translation>Diese Anfrage war in einer privaten Unterhaltung: nicht aufbewahrt.</translation>
    </message>
    <message>
        <source>That request cannot open: its conversation was deleted.</source>
        <translation>Diese Anfrage lässt sich nicht öffnen, denn ihre Unterhaltung wurde gelöscht.</translation>
    </message>
</context>
<context>
    <name>AuditWords</name>
    <message>
        <source>Local</source>
        <extracomment>Routes and statuses as words (English source strings: ``word`` translates them).</extracomment>
        <translation>Lokal</translation>
    </message>
    <message>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <source>edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>unvollständig</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Complete</source>
        <extracomment>Statuses as the table&apos;s filter offers them.</extracomment>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Unvollständig</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Person</source>
        <extracomment>Entity types as people say them (others: EMAIL_ADDRESS is &quot;Email address&quot;, untranslated).</extracomment>
        <translation>Person</translation>
    </message>
    <message>
        <source>Street address</source>
        <translation>Anschrift</translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation>Postleitzahl</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Telefonnummer</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Credit card</source>
        <translation>Kreditkarte</translation>
    </message>
    <message>
        <source>IBAN</source>
        <translation>IBAN</translation>
    </message>
    <message>
        <source>National id</source>
        <translation>Nationale Ausweisnummer</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>Reisepass</translation>
    </message>
    <message>
        <source>Driver license</source>
        <translation>Führerschein</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Domain name</source>
        <translation>Domainname</translation>
    </message>
    <message>
        <source>Id number</source>
        <translation>Kennnummer</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>US SSN</source>
        <translation>US-SSN</translation>
    </message>
    <message>
        <source>MMM yyyy</source>
        <comment>QDate format of a month</comment>
        <translation>MMM yyyy</translation>
    </message>
    <message>
        <source>dd MMM</source>
        <comment>QDate format of a day</comment>
        <translation>dd. MMM</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Open Settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <source>Open the settings to fix what this message is about</source>
        <translation>Die Einstellungen öffnen, um das Problem dieser Meldung zu beheben</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Diese Meldung ausblenden</translation>
    </message>
</context>
<context>
    <name>BodyLabel</name>
    <message>
        <source>Each code block has a Copy link: press Tab to reach it and Enter to copy its code.</source>
        <extracomment>The chat&apos;s own colours in the light (False) and the dark (True) scheme. The palette&apos;s text colour meets WCAG AA (4.5:1) on every background here, and each muted text on its own.</extracomment>
        <translation>Jeder Codeblock hat einen Link „Kopieren“: Mit der Tabulatortaste erreichen Sie ihn, mit der Eingabetaste kopieren Sie den Code.</translation>
    </message>
    <message>
        <source>Press Tab to reach its links and Enter to open one.</source>
        <translation>Mit der Tabulatortaste erreichen Sie die Links, mit der Eingabetaste öffnen Sie einen.</translation>
    </message>
</context>
<context>
    <name>BudgetRow</name>
    <message>
        <source>Cloud spend {when} against the cap</source>
        <translation>Cloud-Ausgaben {when} gemessen an der Obergrenze</translation>
    </message>
    <message>
        <source>How much of the cap is spent</source>
        <translation>Wie viel der Obergrenze ausgegeben ist</translation>
    </message>
    <message>
        <source>{spent} {when}: no cap</source>
        <translation>{spent} {when}: keine Obergrenze</translation>
    </message>
    <message>
        <source>{spent} of {cap} {when} (the cap is reached)</source>
        <translation>{spent} von {cap} {when} (die Obergrenze ist erreicht)</translation>
    </message>
    <message>
        <source>{spent} of {cap} {when}</source>
        <translation>{spent} von {cap} {when}</translation>
    </message>
</context>
<context>
    <name>ChatBadges</name>
    <message>
        <source>stopped</source>
        <extracomment>Shown on the badge of an answer that did not complete (translated where shown).</extracomment>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>interrupted by an error</source>
        <translation>durch einen Fehler unterbrochen</translation>
    </message>
    <message>
        <source>local</source>
        <extracomment>How a route is named on a badge (translated where shown); an edge server is named with it.</extracomment>
        <translation>lokal</translation>
    </message>
    <message>
        <source>cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) at {rate} tokens/s</source>
        <translation>
            <numerusform>%n Token mit {rate} Tokens/s</numerusform>
            <numerusform>%n Tokens mit {rate} Tokens/s</numerusform>
        </translation>
    </message>
    <message>
        <source>Edge ({server})</source>
        <extracomment>The router names an edge server at the start of its reason: &quot;Edge (office-gpu): code review&quot;.</extracomment>
        <translation>Edge ({server})</translation>
    </message>
    <message>
        <source>not saved yet (disk full)</source>
        <translation>noch nicht gespeichert (Datenträger voll)</translation>
    </message>
    <message>
        <source>the model&apos;s own confidence: {confidence}</source>
        <translation>eigene Sicherheit des Modells: {confidence}</translation>
    </message>
</context>
<context>
    <name>ChatCopy</name>
    <message>
        <source>Copied to the clipboard</source>
        <extracomment>How long &quot;Copied&quot; is shown.</extracomment>
        <translation>In die Zwischenablage kopiert</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Where this message is answered: Auto lets the router choose (and says why), Local keeps it on this device, Edge asks a server on your network, Cloud asks the cloud model.</source>
        <extracomment>How often answers kept in memory on a full disk are offered to the disk again. Where the answer streams from (the last ``routed``), for the badge of a cut answer. How many messages and notices the view showed before this turn&apos;s (to take it back). A &quot;don&apos;t keep&quot; conversation is on show (core.private): its id is the chat worker&apos;s in-memory history&apos;s (``private_id``), never ``state.current_id``.</extracomment>
        <translation>Wo diese Nachricht beantwortet wird: Bei „Auto“ wählt der Router (und nennt den Grund), „Lokal“ behält sie auf diesem Gerät, „Edge“ fragt einen Server in Ihrem Netzwerk, „Cloud“ fragt das Cloud-Modell.</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Weg</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send the message to the model (Enter)</source>
        <translation>Die Nachricht an das Modell senden (Eingabetaste)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Die Antwort stoppen (Esc)</translation>
    </message>
    <message>
        <source>Ask the edge servers: {names}.</source>
        <extracomment>Runs while answers wait in memory for disk space (see :meth:`save_unsaved`).</extracomment>
        <translation>Die Edge-Server fragen: {names}.</translation>
    </message>
    <message>
        <source>Ask the edge server: {names}.</source>
        <translation>Den Edge-Server fragen: {names}.</translation>
    </message>
    <message>
        <source>Every edge server is switched off: turn one on in Settings → Edge.</source>
        <translation>Alle Edge-Server sind ausgeschaltet: Schalten Sie einen unter Einstellungen → Edge ein.</translation>
    </message>
    <message>
        <source>No edge server is set up: add one in Settings → Edge.</source>
        <translation>Es ist kein Edge-Server eingerichtet: Fügen Sie unter Einstellungen → Edge einen hinzu.</translation>
    </message>
    <message>
        <source>generating… (shown when complete)</source>
        <translation>wird erzeugt… (erscheint, wenn sie fertig ist)</translation>
    </message>
    <message>
        <source>The message is empty. Type a question or instruction first.</source>
        <translation>Die Nachricht ist leer. Geben Sie zuerst eine Frage oder Anweisung ein.</translation>
    </message>
    <message>
        <source>waiting for the model to load…</source>
        <translation>wartet, bis das Modell geladen ist…</translation>
    </message>
    <message>
        <source>checking what would be sent…</source>
        <translation>prüft, was gesendet würde…</translation>
    </message>
    <message>
        <source>{route} · answering…</source>
        <translation>{route} · antwortet…</translation>
    </message>
    <message>
        <source>{route} · answering instead…</source>
        <translation>{route} · antwortet stattdessen…</translation>
    </message>
    <message>
        <source>{route} · interrupted</source>
        <translation>{route} · unterbrochen</translation>
    </message>
    <message>
        <source>generating…</source>
        <translation>wird erzeugt…</translation>
    </message>
    <message>
        <source>The disk is full, so the answer is not saved yet. It stays here and is saved as soon as there is space again; free some space on the disk that holds the data folder (Copy keeps the answer elsewhere meanwhile).</source>
        <translation>Der Datenträger ist voll, daher ist die Antwort noch nicht gespeichert. Sie bleibt hier und wird gespeichert, sobald wieder Platz ist; schaffen Sie Platz auf dem Datenträger mit dem Datenordner (mit „Kopieren“ sichern Sie die Antwort so lange anderswo).</translation>
    </message>
    <message>
        <source>There is space on the disk again: the answers that were waiting are saved.</source>
        <translation>Auf dem Datenträger ist wieder Platz: Die wartenden Antworten sind gespeichert.</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>The messages of this conversation, the newest at the bottom.</source>
        <translation>Die Nachrichten dieser Unterhaltung, die neueste unten.</translation>
    </message>
    <message>
        <source>Ask anything.</source>
        <translation>Fragen Sie, was Sie möchten.</translation>
    </message>
    <message>
        <source>Answers come from the model on this computer; nothing you type leaves it.</source>
        <translation>Die Antworten kommen vom Modell auf diesem Computer; nichts, was Sie eingeben, verlässt ihn.</translation>
    </message>
    <message>
        <source>generating…</source>
        <translation>wird erzeugt…</translation>
    </message>
</context>
<context>
    <name>CloudStatus</name>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Online ({ms} ms)</source>
        <translation>Online ({ms} ms)</translation>
    </message>
    <message>
        <source>Offline mode</source>
        <translation>Offline-Modus</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Sign-in page (captive portal)</source>
        <translation>Anmeldeseite (Captive Portal)</translation>
    </message>
    <message>
        <source>Network: checking…</source>
        <translation>Netzwerk: wird geprüft…</translation>
    </message>
    <message>
        <source>Today {spent} of {cap}</source>
        <translation>Heute {spent} von {cap}</translation>
    </message>
    <message>
        <source>Today {spent}</source>
        <translation>Heute {spent}</translation>
    </message>
    <message>
        <source>Whether the cloud can be reached</source>
        <translation>Ob die Cloud erreichbar ist</translation>
    </message>
    <message>
        <source>What the cloud has cost today</source>
        <translation>Was die Cloud heute gekostet hat</translation>
    </message>
    <message>
        <source>&amp;Offline Mode</source>
        <translation>&amp;Offline-Modus</translation>
    </message>
    <message>
        <source>No network call of any kind while this is on.</source>
        <translation>Solange dies eingeschaltet ist, gibt es keinerlei Netzwerkzugriffe.</translation>
    </message>
    <message>
        <source>C&amp;loud</source>
        <translation>C&amp;loud</translation>
    </message>
    <message>
        <source>Check &amp;Connection</source>
        <translation>&amp;Verbindung prüfen</translation>
    </message>
    <message>
        <source>Ask the cloud endpoint again whether it answers</source>
        <translation>Den Cloud-Endpunkt erneut fragen, ob er antwortet</translation>
    </message>
    <message>
        <source>The cloud endpoint {destination} answers.</source>
        <translation>Der Cloud-Endpunkt {destination} antwortet.</translation>
    </message>
    <message>
        <source>The cloud cannot be reached ({detail}); answers are local.</source>
        <translation>Die Cloud ist nicht erreichbar ({detail}); Antworten kommen vom lokalen Modell.</translation>
    </message>
    <message>
        <source>The network shows a sign-in page where the cloud service should answer ({detail}). Open a web page in a browser and sign in to the network; until then answers are local. Cloud → Check Connection looks again.</source>
        <translation>Das Netzwerk zeigt eine Anmeldeseite, wo der Cloud-Dienst antworten sollte ({detail}). Öffnen Sie eine Webseite im Browser und melden Sie sich beim Netzwerk an; bis dahin kommen Antworten vom lokalen Modell. Cloud → Verbindung prüfen sieht erneut nach.</translation>
    </message>
    <message>
        <source>Offline mode is on: nothing leaves this device.</source>
        <translation>Der Offline-Modus ist eingeschaltet: Nichts verlässt dieses Gerät.</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>Die Verbindung wird geprüft…</translation>
    </message>
    <message>
        <source>Cloud spend this month: {spent} of {cap}</source>
        <translation>Cloud-Kosten in diesem Monat: {spent} von {cap}</translation>
    </message>
    <message>
        <source>Cloud spend this month: {spent}</source>
        <translation>Cloud-Kosten in diesem Monat: {spent}</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>Your conversations, newest first; F2 renames the selected one</source>
        <translation>Ihre Unterhaltungen, die neueste zuerst; F2 benennt die ausgewählte um</translation>
    </message>
    <message numerus="yes">
        <source>{title}
%n message(s) · updated {updated} UTC</source>
        <translation>
            <numerusform>{title}
%n Nachricht · aktualisiert {updated} UTC</numerusform>
            <numerusform>{title}
%n Nachrichten · aktualisiert {updated} UTC</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationsPanel</name>
    <message>
        <source>New chat</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Eine neue Unterhaltung beginnen (Strg+N)</translation>
    </message>
    <message>
        <source>This conversation is still answering. Stop the answer, then delete it.</source>
        <translation>In dieser Unterhaltung wird noch geantwortet. Stoppen Sie die Antwort und löschen Sie die Unterhaltung dann.</translation>
    </message>
    <message>
        <source>Rename Conversation</source>
        <translation>Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titel:</translation>
    </message>
    <message>
        <source>Delete Conversation</source>
        <translation>Unterhaltung löschen</translation>
    </message>
    <message>
        <source>Delete “{title}” and all its messages? This cannot be undone.</source>
        <translation>„{title}“ und alle Nachrichten darin löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
</context>
<context>
    <name>CopyButton</name>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
</context>
<context>
    <name>DerivePage</name>
    <message>
        <source>The installed model to start from</source>
        <translation>Das installierte Modell, aus dem das neue entsteht</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>The number format of the new model&apos;s weights</source>
        <translation>Das Zahlenformat der Gewichte des neuen Modells</translation>
    </message>
    <message>
        <source>Quantize to:</source>
        <translation>Quantisieren zu:</translation>
    </message>
    <message>
        <source>How many layers to leave out of the new model (prune)</source>
        <translation>Wie viele Schichten das neue Modell auslässt (ausdünnen)</translation>
    </message>
    <message>
        <source>none (quantize only)</source>
        <translation>keine (nur quantisieren)</translation>
    </message>
    <message>
        <source>Remove layers:</source>
        <translation>Schichten entfernen:</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>Make the new model and measure its quality receipt</source>
        <translation>Das neue Modell erstellen und seinen Qualitätsnachweis messen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop making the model and keep nothing</source>
        <translation>Das Erstellen abbrechen und nichts behalten</translation>
    </message>
    <message>
        <source>A derived model gets a quality receipt: perplexity, KL divergence and top-1 agreement against its source, measured on this device. Starting from a file that is already quantized (like the embedded Q4_1 model) rounds twice; the receipt measures what that costs.</source>
        <translation>Ein abgeleitetes Modell erhält einen Qualitätsnachweis: Perplexität, KL-Divergenz und Top-1-Übereinstimmung gegenüber seinem Ausgangsmodell, gemessen auf diesem Gerät. Wer von einer bereits quantisierten Datei ausgeht (wie dem eingebetteten Q4_1-Modell), rundet zweimal; der Nachweis misst, was das kostet.</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>The tray icon is shown.</source>
        <extracomment>One sentence each, for Settings → General: why there is no tray / what the hotkey does. Announces completed answers, and notifies from the tray when no window has the focus.</extracomment>
        <translation>Das Symbol im Infobereich wird angezeigt.</translation>
    </message>
    <message>
        <source>The global hotkey is off.</source>
        <translation>Das globale Tastenkürzel ist ausgeschaltet.</translation>
    </message>
    <message>
        <source>Starting the global hotkey {hotkey}…</source>
        <translation>Das globale Tastenkürzel {hotkey} wird eingerichtet…</translation>
    </message>
    <message>
        <source>Press {key} anywhere to open the Quick Prompt.</source>
        <translation>Drücken Sie an beliebiger Stelle {key}, um die Schnellfrage zu öffnen.</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Pause or resume the download of {name}</source>
        <translation>Das Herunterladen von {name} anhalten oder fortsetzen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the download of {name} and delete what has arrived</source>
        <translation>Das Herunterladen von {name} abbrechen und bereits Empfangenes löschen</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
<context>
    <name>EdgeServerDialog</name>
    <message>
        <source>Private</source>
        <extracomment>The texts below are English source strings, translated where they are shown (``tr_``).</extracomment>
        <translation>Privat</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>External</source>
        <translation>Extern</translation>
    </message>
    <message>
        <source>A box you control: the privacy gate is not applied.</source>
        <extracomment>One line each: what the privacy gate does before a request goes to a server of that trust.</extracomment>
        <translation>Ein Rechner unter Ihrer Kontrolle: Der Datenschutzfilter wird nicht angewandt.</translation>
    </message>
    <message>
        <source>The organisation&apos;s policy is applied (the default).</source>
        <translation>Die Richtlinie der Organisation wird angewandt (Standard).</translation>
    </message>
    <message>
        <source>Treated like the cloud.</source>
        <translation>Wird wie die Cloud behandelt.</translation>
    </message>
    <message>
        <source>OpenAI-compatible (/v1/chat/completions)</source>
        <translation>OpenAI-kompatibel (/v1/chat/completions)</translation>
    </message>
    <message>
        <source>Anthropic Messages (/v1/messages)</source>
        <translation>Anthropic Messages (/v1/messages)</translation>
    </message>
    <message>
        <source>From the model&apos;s name</source>
        <translation>Aus dem Namen des Modells</translation>
    </message>
    <message>
        <source>Tiny</source>
        <translation>Winzig</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>Klein</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Groß</translation>
    </message>
    <message>
        <source>Offline mode is on: no server is asked anything.</source>
        <extracomment>Seconds a health check or model list may take (a LAN server answers in milliseconds).</extracomment>
        <translation>Der Offline-Modus ist an: Kein Server wird angefragt.</translation>
    </message>
    <message>
        <source>Edge Server</source>
        <extracomment>Examples in the empty fields (a host name and a URL: not translated).</extracomment>
        <translation>Edge-Server</translation>
    </message>
    <message>
        <source>Edge Server {name}</source>
        <translation>Edge-Server {name}</translation>
    </message>
    <message>
        <source>A short name of your own for this server</source>
        <translation>Ein kurzer Name Ihrer Wahl für diesen Server</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>The address the server answers on, with its port</source>
        <translation>Die Adresse, unter der der Server antwortet, mit Port</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Which API the server speaks</source>
        <translation>Welche API der Server spricht</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>Protokoll:</translation>
    </message>
    <message>
        <source>How far the server is trusted with personal data</source>
        <translation>Wie weit dem Server personenbezogene Daten anvertraut werden</translation>
    </message>
    <message>
        <source>Trust:</source>
        <translation>Vertrauen:</translation>
    </message>
    <message>
        <source>The first model the server lists</source>
        <translation>Das erste Modell, das der Server nennt</translation>
    </message>
    <message>
        <source>The model to ask on this server: type its name or pick a listed one</source>
        <translation>Das Modell, das auf diesem Server gefragt wird: Namen eingeben oder ein aufgelistetes wählen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>List Models</source>
        <translation>Modelle auflisten</translation>
    </message>
    <message>
        <source>Ask the server which models it serves (/v1/models)</source>
        <translation>Den Server fragen, welche Modelle er anbietet (/v1/models)</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>How capable the model is, for routing: harder tasks go to bigger tiers.</source>
        <translation>Wie leistungsfähig das Modell ist, für die Wahl des Wegs: Schwierigere Aufgaben gehen an höhere Stufen.</translation>
    </message>
    <message>
        <source>Model tier:</source>
        <translation>Modellstufe:</translation>
    </message>
    <message>
        <source>What a million prompt tokens cost on this server</source>
        <translation>Was eine Million Prompt-Tokens auf diesem Server kostet</translation>
    </message>
    <message>
        <source>Price of input:</source>
        <translation>Preis der Eingabe:</translation>
    </message>
    <message>
        <source>What a million answer tokens cost on this server</source>
        <translation>Was eine Million Antwort-Tokens auf diesem Server kostet</translation>
    </message>
    <message>
        <source>Price of output:</source>
        <translation>Preis der Ausgabe:</translation>
    </message>
    <message>
        <source>A key is kept in the OS keyring; type a new one to replace it</source>
        <translation>Ein Schlüssel liegt im Schlüsselbund des Systems; geben Sie einen neuen ein, um ihn zu ersetzen</translation>
    </message>
    <message>
        <source>Optional: the server&apos;s API key (kept in the OS keyring)</source>
        <translation>Optional: der API-Schlüssel des Servers (im Schlüsselbund des Systems aufbewahrt)</translation>
    </message>
    <message>
        <source>The server&apos;s API key; it is kept in the OS keyring</source>
        <translation>Der API-Schlüssel des Servers; er wird im Schlüsselbund des Systems aufbewahrt</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <source>Forget the kept key</source>
        <translation>Gespeicherten Schlüssel vergessen</translation>
    </message>
    <message>
        <source>Delete the key kept for this server from the keyring</source>
        <translation>Den für diesen Server gespeicherten Schlüssel aus dem Schlüsselbund löschen</translation>
    </message>
    <message>
        <source>Use this server</source>
        <translation>Diesen Server verwenden</translation>
    </message>
    <message>
        <source>Whether requests may be sent to this server</source>
        <translation>Ob Anfragen an diesen Server gehen dürfen</translation>
    </message>
    <message>
        <source>Keep this server and close</source>
        <translation>Diesen Server übernehmen und schließen</translation>
    </message>
    <message>
        <source>Asking {url} for its models…</source>
        <translation>{url} wird nach seinen Modellen gefragt…</translation>
    </message>
    <message>
        <source>The server answered but lists no models.</source>
        <translation>Der Server hat geantwortet, nennt aber keine Modelle.</translation>
    </message>
    <message>
        <source>The server serves 1 model.</source>
        <translation>Der Server bietet 1 Modell an.</translation>
    </message>
    <message numerus="yes">
        <source>The server serves %n models.</source>
        <translation>
            <numerusform>Der Server bietet %n Modell an.</numerusform>
            <numerusform>Der Server bietet %n Modelle an.</numerusform>
        </translation>
    </message>
    <message>
        <source>An edge server is already named {name}.</source>
        <translation>Ein Edge-Server heißt bereits {name}.</translation>
    </message>
    <message>
        <source>Choose another name.</source>
        <translation>Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>The API key contains spaces.</source>
        <translation>Der API-Schlüssel enthält Leerzeichen.</translation>
    </message>
    <message>
        <source>Paste the key as issued.</source>
        <translation>Fügen Sie den Schlüssel so ein, wie er ausgegeben wurde.</translation>
    </message>
    <message>
        <source> per million tokens</source>
        <translation> pro Million Tokens</translation>
    </message>
    <message>
        <source>free</source>
        <translation>kostenlos</translation>
    </message>
</context>
<context>
    <name>EdgeSettingsPage</name>
    <message>
        <source>ready</source>
        <extracomment>English source strings, translated where they are shown.</extracomment>
        <translation>bereit</translation>
    </message>
    <message>
        <source>loading its model</source>
        <translation>lädt sein Modell</translation>
    </message>
    <message>
        <source>down</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Answered in</source>
        <translation>Antwortzeit</translation>
    </message>
    <message>
        <source>{status} ({ms} ms)</source>
        <translation>{status} ({ms} ms)</translation>
    </message>
    <message>
        <source>Servers on your own network that run a bigger model than this device: asked before the cloud for what is too hard for the local model.</source>
        <extracomment>A probe ended (tests wait on it): &quot;health&quot;, &quot;discover&quot;. Keyring changes to make on OK, in order: (&quot;set&quot;, name, key), (&quot;delete&quot;, name, None), (&quot;move&quot;, old_name, new_name). Keys typed here and not yet saved (health checks and model lists use them).</extracomment>
        <translation>Server in Ihrem eigenen Netz, die ein größeres Modell als dieses Gerät ausführen: Sie werden vor der Cloud gefragt, wenn eine Aufgabe für das lokale Modell zu schwer ist.</translation>
    </message>
    <message>
        <source>Edge servers</source>
        <translation>Edge-Server</translation>
    </message>
    <message>
        <source>The edge servers set up, with their health; double-click one to edit it</source>
        <translation>Die eingerichteten Edge-Server mit ihrem Zustand; ein Doppelklick bearbeitet einen</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Set up another edge server</source>
        <translation>Einen weiteren Edge-Server einrichten</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Change the selected server</source>
        <translation>Den ausgewählten Server ändern</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected server and its key</source>
        <translation>Den ausgewählten Server und seinen Schlüssel entfernen</translation>
    </message>
    <message>
        <source>Check Now</source>
        <translation>Jetzt prüfen</translation>
    </message>
    <message>
        <source>Ask each server whether it is up and its model loaded</source>
        <translation>Jeden Server fragen, ob er läuft und sein Modell geladen ist</translation>
    </message>
    <message>
        <source>One per line: office-gpu, 10.0.0.5, gpu-box:9000</source>
        <translation>Einer pro Zeile: office-gpu, 10.0.0.5, gpu-box:9000</translation>
    </message>
    <message>
        <source>Find Servers looks on this device and on these hosts only, on the ports serving engines use (11434, 8080, 8000, 1234; a host with its own port: only that one). Address ranges are never scanned.</source>
        <translation>„Server suchen“ sucht nur auf diesem Gerät und auf diesen Hosts, auf den Ports, die Server-Engines verwenden (11434, 8080, 8000, 1234; bei einem Host mit eigenem Port nur auf diesem). Adressbereiche werden nie durchsucht.</translation>
    </message>
    <message>
        <source>Other hosts Find Servers looks on, one per line</source>
        <translation>Weitere Hosts, auf denen „Server suchen“ sucht, einer pro Zeile</translation>
    </message>
    <message>
        <source>Also look on:</source>
        <translation>Auch suchen auf:</translation>
    </message>
    <message>
        <source>Find Servers</source>
        <translation>Server suchen</translation>
    </message>
    <message>
        <source>Look for servers on this device and on the hosts listed</source>
        <translation>Auf diesem Gerät und den aufgeführten Hosts nach Servern suchen</translation>
    </message>
    <message>
        <source>Add Found…</source>
        <translation>Gefundenen hinzufügen…</translation>
    </message>
    <message>
        <source>Set up the selected server found</source>
        <translation>Den ausgewählten gefundenen Server einrichten</translation>
    </message>
    <message>
        <source>Servers found</source>
        <translation>Gefundene Server</translation>
    </message>
    <message>
        <source>The servers Find Servers found; double-click one to add it</source>
        <translation>Die von „Server suchen“ gefundenen Server; ein Doppelklick fügt einen hinzu</translation>
    </message>
    <message>
        <source>{table}: columns</source>
        <translation>{table}: Spalten</translation>
    </message>
    <message>
        <source>The titles of the table&apos;s columns</source>
        <translation>Die Spaltenüberschriften der Tabelle</translation>
    </message>
    <message>
        <source>The key of {name} was not saved. {reason}</source>
        <translation>Der Schlüssel von {name} wurde nicht gespeichert. {reason}</translation>
    </message>
    <message>
        <source>{name} (off)</source>
        <translation>{name} (aus)</translation>
    </message>
    <message>
        <source>(first listed)</source>
        <translation>(erstes aufgelistetes)</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>{name} is added; it is saved when you press OK.</source>
        <translation>{name} ist hinzugefügt; gespeichert wird beim Klick auf „OK“.</translation>
    </message>
    <message>
        <source>{name} is removed (with its key) when you press OK.</source>
        <translation>{name} wird beim Klick auf „OK“ entfernt (mit seinem Schlüssel).</translation>
    </message>
    <message>
        <source>Every server that is on answers.</source>
        <translation>Jeder eingeschaltete Server antwortet.</translation>
    </message>
    <message>
        <source>Looking for servers on this device and {hosts}…</source>
        <translation>Suche nach Servern auf diesem Gerät und auf {hosts}…</translation>
    </message>
    <message>
        <source>Looking for servers on this device…</source>
        <translation>Suche nach Servern auf diesem Gerät…</translation>
    </message>
    <message>
        <source>{url} (added)</source>
        <translation>{url} (hinzugefügt)</translation>
    </message>
    <message>
        <source>{models} and {count} more</source>
        <translation>{models} und {count} weitere</translation>
    </message>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
    <message>
        <source>Found {count}: choose one and press Add Found… to use it.</source>
        <translation>{count} gefunden: Wählen Sie einen aus und klicken Sie auf „Gefundenen hinzufügen…“, um ihn zu verwenden.</translation>
    </message>
    <message>
        <source>No server answered on /v1/models. Start one (see the README&apos;s Edge servers section), or list the host it runs on above.</source>
        <translation>Kein Server hat auf /v1/models geantwortet. Starten Sie einen (siehe den Abschnitt „Edge servers“ der README) oder tragen Sie oben den Host ein, auf dem er läuft.</translation>
    </message>
</context>
<context>
    <name>EgressPreview</name>
    <message>
        <source>{finding} — allowed by your policy</source>
        <translation>{finding} – laut Ihren Regeln erlaubt</translation>
    </message>
    <message>
        <source>What Would Be Sent</source>
        <translation>Was gesendet würde</translation>
    </message>
    <message>
        <source>Confirm Cloud Send</source>
        <translation>Senden an die Cloud bestätigen</translation>
    </message>
    <message>
        <source>Highlighted values are replaced by placeholders before anything leaves this device, and restored in the reply on this device.</source>
        <translation>Hervorgehobene Werte werden durch Platzhalter ersetzt, bevor etwas dieses Gerät verlässt, und in der Antwort auf diesem Gerät wiederhergestellt.</translation>
    </message>
    <message>
        <source>No personal data was found: the text below is sent as you typed it.</source>
        <translation>Es wurden keine personenbezogenen Daten gefunden: Der Text unten wird so gesendet, wie Sie ihn eingegeben haben.</translation>
    </message>
    <message>
        <source>Your message; hover over a highlighted value to see what kind of data it is</source>
        <translation>Ihre Nachricht; zeigen Sie auf einen hervorgehobenen Wert, um zu sehen, welche Art von Daten er ist</translation>
    </message>
    <message>
        <source>Your message (findings highlighted)</source>
        <translation>Ihre Nachricht (Funde hervorgehoben)</translation>
    </message>
    <message>
        <source>Nothing: this request stays on this device.</source>
        <translation>Nichts: Diese Anfrage bleibt auf diesem Gerät.</translation>
    </message>
    <message>
        <source>The text that leaves this device, placeholders and all</source>
        <translation>Der Text, der dieses Gerät verlässt, mitsamt Platzhaltern</translation>
    </message>
    <message>
        <source>Exactly what would be sent to {destination}</source>
        <translation>Genau das würde an {destination} gesendet</translation>
    </message>
    <message>
        <source>the cloud model</source>
        <translation>das Cloud-Modell</translation>
    </message>
    <message>
        <source>Nothing would be sent</source>
        <translation>Es würde nichts gesendet</translation>
    </message>
    <message>
        <source>Send to Cloud</source>
        <translation>An die Cloud senden</translation>
    </message>
    <message>
        <source>Send the text shown above to the cloud model</source>
        <translation>Den oben gezeigten Text an das Cloud-Modell senden</translation>
    </message>
    <message>
        <source>Answer Locally</source>
        <translation>Lokal antworten</translation>
    </message>
    <message>
        <source>Send nothing: the local model answers</source>
        <translation>Nichts senden: Das lokale Modell antwortet</translation>
    </message>
    <message>
        <source>Send nothing and give the message back</source>
        <translation>Nichts senden und die Nachricht zurückgeben</translation>
    </message>
</context>
<context>
    <name>FirstRunPanel</name>
    <message>
        <source>Getting started</source>
        <extracomment>The best catalogue model that runs here (fits or is tight, and fits on the disk). ``best`` is installed already. A cloud API key is set (keyring or environment). Get this model (a ``DownloadTarget``), or ``None``: open the Models window. The facts were read and are on show.</extracomment>
        <translation>Erste Schritte</translation>
    </message>
    <message>
        <source>&lt;b&gt;Welcome to {app}&lt;/b&gt;</source>
        <translation>&lt;b&gt;Willkommen bei {app}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Hide this welcome; Help → Getting Started shows it again</source>
        <translation>Diese Begrüßung ausblenden; Hilfe → Erste Schritte zeigt sie wieder</translation>
    </message>
    <message>
        <source>Answering now</source>
        <translation>Jetzt antwortet</translation>
    </message>
    <message>
        <source>A better model for this machine</source>
        <translation>Ein besseres Modell für diesen Rechner</translation>
    </message>
    <message>
        <source>Looking at this machine…</source>
        <translation>Dieser Rechner wird geprüft…</translation>
    </message>
    <message>
        <source>Get This Model</source>
        <translation>Dieses Modell holen</translation>
    </message>
    <message>
        <source>Download the recommended model in the Models window</source>
        <translation>Das empfohlene Modell im Fenster „Modelle“ herunterladen</translation>
    </message>
    <message>
        <source>Hard questions</source>
        <translation>Schwierige Fragen</translation>
    </message>
    <message>
        <source>Add a Cloud Key…</source>
        <translation>Cloud-Schlüssel hinzufügen…</translation>
    </message>
    <message>
        <source>Open Settings on the Cloud page to add a Claude API key</source>
        <translation>Die Einstellungen auf der Seite „Cloud“ öffnen, um einen Claude-API-Schlüssel hinzuzufügen</translation>
    </message>
    <message>
        <source>Your privacy</source>
        <translation>Ihr Datenschutz</translation>
    </message>
    <message>
        <source>Questions are answered on this device unless they need more. Before anything leaves it, names, addresses, numbers and keys are replaced with placeholders here, and put back here.</source>
        <translation>Fragen werden auf diesem Gerät beantwortet, solange sie nicht mehr brauchen. Bevor etwas das Gerät verlässt, werden Namen, Adressen, Nummern und Schlüssel hier durch Platzhalter ersetzt und hier wieder eingesetzt.</translation>
    </message>
    <message>
        <source>Preview What Is Sent…</source>
        <translation>Vorschau des Gesendeten…</translation>
    </message>
    <message>
        <source>Show exactly what the message in the box (or an example) would send</source>
        <translation>Genau zeigen, was die Nachricht im Eingabefeld (oder ein Beispiel) senden würde</translation>
    </message>
    <message>
        <source>The model catalogue could not be read; see the log.</source>
        <translation>Der Modellkatalog konnte nicht gelesen werden; siehe Protokolldatei.</translation>
    </message>
    <message>
        <source>Open Models…</source>
        <translation>Modelle öffnen…</translation>
    </message>
    <message>
        <source>A cloud key is set: when a question needs a large model, Auto can send it to Claude, with personal data replaced first.</source>
        <translation>Ein Cloud-Schlüssel ist eingerichtet: Braucht eine Frage ein großes Modell, kann „Automatisch“ sie an Claude senden, nachdem personenbezogene Daten ersetzt wurden.</translation>
    </message>
    <message>
        <source>Cloud Settings…</source>
        <translation>Cloud-Einstellungen…</translation>
    </message>
    <message>
        <source>With a Claude API key, hard questions (long reasoning, code, careful writing) can go to the cloud. Without one, everything stays on this device.</source>
        <translation>Mit einem Claude-API-Schlüssel können schwierige Fragen (langes Nachdenken, Code, sorgfältige Texte) in die Cloud gehen. Ohne Schlüssel bleibt alles auf diesem Gerät.</translation>
    </message>
    <message>
        <source>{model} ({size}) is built in and answers on this device, even offline. It is very small: fine for short everyday questions, but it often gets facts, arithmetic and code wrong and loses track of long conversations.</source>
        <translation>{model} ({size}) ist eingebaut und antwortet auf diesem Gerät, auch offline. Es ist sehr klein: gut für kurze Alltagsfragen, aber bei Fakten, Rechnen und Code liegt es oft falsch, und in langen Unterhaltungen verliert es den Faden.</translation>
    </message>
    <message>
        <source>The model catalogue could not be read: {problem}</source>
        <translation>Der Modellkatalog konnte nicht gelesen werden: {problem}</translation>
    </message>
    <message>
        <source>No model in the catalogue fits this machine&apos;s free memory and disk now; the built-in model is the best it can run. File → Models… lists them all.</source>
        <translation>Kein Modell im Katalog passt derzeit in den freien Speicher und auf die Festplatte dieses Rechners; das eingebaute Modell ist das beste, das er ausführen kann. Datei → Modelle… listet alle auf.</translation>
    </message>
    <message>
        <source>{model} ({size} download, {tier} tier): {fit}.</source>
        <translation>{model} ({size} Download, Stufe {tier}): {fit}.</translation>
    </message>
    <message>
        <source>It is installed: choose it in the Models window</source>
        <translation>Es ist installiert: Wählen Sie es im Fenster „Modelle“</translation>
    </message>
    <message>
        <source>Download {model} in the Models window</source>
        <translation>{model} im Fenster „Modelle“ herunterladen</translation>
    </message>
    <message>
        <source>Write a short reply to Maria Schmidt (maria.schmidt@example.com, +49 30 1234567) about invoice 2024-118.</source>
        <translation>Schreibe eine kurze Antwort an Maria Schmidt (maria.schmidt@example.com, +49 30 1234567) zur Rechnung 2024-118.</translation>
    </message>
</context>
<context>
    <name>InputBox</name>
    <message>
        <source>Ask anything…  (Enter sends, Shift+Enter starts a new line)</source>
        <translation>Fragen Sie, was Sie möchten…  (Eingabe sendet, Umschalt+Eingabe beginnt eine neue Zeile)</translation>
    </message>
    <message>
        <source>Type your message; Enter sends it, Shift+Enter starts a new line</source>
        <translation>Ihre Nachricht eingeben; die Eingabetaste sendet sie, Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
</context>
<context>
    <name>LatencyPanel</name>
    <message>
        <source>Latency per route (ms)</source>
        <translation>Latenz je Weg (ms)</translation>
    </message>
    <message>
        <source>Latency per route</source>
        <translation>Latenz je Weg</translation>
    </message>
    <message>
        <source>Bars: the median (p50) and 95th percentile (p95) latency of each route, in ms</source>
        <translation>Balken: Median (p50) und 95. Perzentil (p95) der Latenz je Weg, in ms</translation>
    </message>
    <message>
        <source>Latency figures per route</source>
        <translation>Latenzwerte je Weg</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Something went wrong ({error}). The app keeps running; details are in the log file (Help → Open Log Folder).</source>
        <translation>Etwas ist schiefgegangen ({error}). Die App läuft weiter; Einzelheiten stehen in der Log-Datei (Hilfe → Log-Ordner öffnen).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <extracomment>perf_counter() when the window was first exposed on screen. Set when the user quits (from the tray); closing then really closes. Whether closing hides to a tray (set by the desktop integration when there is one).</extracomment>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New Chat</source>
        <translation>&amp;Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>Eine neue Unterhaltung beginnen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Open the settings: model, privacy, cloud, colours and more</source>
        <translation>Die Einstellungen öffnen: Modell, Datenschutz, Cloud, Farben und mehr</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>&amp;Modelle…</translation>
    </message>
    <message>
        <source>Choose, download and manage the local models</source>
        <translation>Lokale Modelle auswählen, herunterladen und verwalten</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit {app}</source>
        <translation>{app} beenden</translation>
    </message>
    <message>
        <source>New &amp;Private Conversation</source>
        <translation>Neue &amp;private Unterhaltung</translation>
    </message>
    <message>
        <source>A conversation kept in memory only: nothing of it is saved to disk</source>
        <translation>Eine Unterhaltung nur im Arbeitsspeicher: Nichts davon wird auf dem Datenträger gespeichert</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>Rename the selected conversation</source>
        <translation>Die ausgewählte Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>Delete the selected conversation</source>
        <translation>Die ausgewählte Unterhaltung löschen</translation>
    </message>
    <message>
        <source>&amp;Stop Answer</source>
        <translation>Antwort s&amp;toppen</translation>
    </message>
    <message>
        <source>Stop the answer being written</source>
        <translation>Die entstehende Antwort stoppen</translation>
    </message>
    <message>
        <source>&amp;Find in History…</source>
        <translation>Im Verlauf &amp;suchen…</translation>
    </message>
    <message>
        <source>Search the messages of every conversation</source>
        <translation>Die Nachrichten aller Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Privacy</source>
        <translation>Daten&amp;schutz</translation>
    </message>
    <message>
        <source>&amp;Preview What Would Be Sent…</source>
        <translation>&amp;Vorschau der zu sendenden Daten…</translation>
    </message>
    <message>
        <source>Show exactly what the message in the input box would send to the cloud</source>
        <translation>Genau anzeigen, was die Nachricht im Eingabefeld an die Cloud senden würde</translation>
    </message>
    <message>
        <source>&amp;Audit Log…</source>
        <translation>&amp;Protokoll…</translation>
    </message>
    <message>
        <source>Every request that left this device: when, where, and what was replaced</source>
        <translation>Jede Anfrage, die dieses Gerät verlassen hat: wann, wohin und was ersetzt wurde</translation>
    </message>
    <message>
        <source>&amp;Workload Audit…</source>
        <translation>&amp;Auswertung…</translation>
    </message>
    <message>
        <source>What was answered where, what it cost and what the privacy gate did</source>
        <translation>Was wo beantwortet wurde, was es gekostet hat und was der Datenschutzfilter getan hat</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>&amp;Log-Ordner öffnen</translation>
    </message>
    <message>
        <source>Open the folder with the app&apos;s logs</source>
        <translation>Den Ordner mit den Log-Dateien der App öffnen</translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation>Ü&amp;ber {app}</translation>
    </message>
    <message>
        <source>The version, and where {app} keeps its data</source>
        <translation>Die Version und wo {app} seine Daten ablegt</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>&amp;Erste Schritte</translation>
    </message>
    <message>
        <source>Show the welcome: the model answering now, a better one, the cloud, privacy</source>
        <translation>Die Begrüßung zeigen: das Modell, das jetzt antwortet, ein besseres, die Cloud, Datenschutz</translation>
    </message>
    <message>
        <source>Type a message first, then preview what would be sent.</source>
        <translation>Geben Sie zuerst eine Nachricht ein; dann zeigt die Vorschau, was gesendet würde.</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>Über {app}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{app}&lt;/b&gt; {version}&lt;br&gt;A private AI assistant that answers on this device first.&lt;br&gt;&lt;br&gt;Data: {data}&lt;br&gt;Logs: {logs}</source>
        <translation>&lt;b&gt;{app}&lt;/b&gt; {version}&lt;br&gt;Ein privater KI-Assistent, der zuerst auf diesem Gerät antwortet.&lt;br&gt;&lt;br&gt;Daten: {data}&lt;br&gt;Logs: {logs}</translation>
    </message>
    <message>
        <source>Hybrid Desktop keeps running in the tray. Open it or ask a Quick Prompt ({hotkey}); Quit is in the tray menu.</source>
        <translation>Hybrid Desktop läuft im Infobereich weiter. Öffnen Sie es dort oder stellen Sie eine Schnellfrage ({hotkey}); „Beenden“ finden Sie im Menü des Infobereichs.</translation>
    </message>
    <message>
        <source>from the tray menu</source>
        <translation>über das Menü im Infobereich</translation>
    </message>
</context>
<context>
    <name>Markdown</name>
    <message>
        <source>Copied</source>
        <extracomment>The Pygments styles the code blocks start from (their failing colours are adjusted). A block with no (or an unknown) language is guessed from its text only when it has this many lines: a short snippet gives the guesser too little to go on. Guesses kept (Pygments&apos; aliases): the guesser also names rarer languages that merely share a keyword with the code (JavaScript guessed as GDScript, SQL as scdoc); those stay plain. code with no token colour of its own the language name in the header row the Copy link Markdown tables&apos; cell borders (a line, not text: 3:1 on the window&apos;s colours)</extracomment>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy this code</source>
        <translation>Diesen Code kopieren</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>&lt;b&gt;You&lt;/b&gt;</source>
        <extracomment>The code block whose link reads &quot;Copied&quot; for a moment (see chat_copy). The scheme the message is styled and rendered for (it follows the palette). The user&apos;s message this answers (for &quot;Ask the cloud model&quot;). The stored message shown (``None`` while it streams, or not read from history).</extracomment>
        <translation>&lt;b&gt;Sie&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Assistant&lt;/b&gt;</source>
        <translation>&lt;b&gt;Assistent&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Ask the cloud model</source>
        <translation>Cloud-Modell fragen</translation>
    </message>
    <message>
        <source>Not good enough? Ask the same question of the cloud model (through the privacy gate).</source>
        <translation>Nicht gut genug? Stellen Sie dieselbe Frage dem Cloud-Modell (über den Datenschutzfilter).</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>Diese Nachricht als Markdown kopieren</translation>
    </message>
    <message>
        <source>Low confidence — ask the cloud model</source>
        <translation>Geringe Sicherheit – Cloud-Modell fragen</translation>
    </message>
    <message>
        <source>The local model&apos;s own confidence in this answer is {confidence}. The cloud model is likely to do better (the question goes through the privacy gate first).</source>
        <translation>Die eigene Sicherheit des lokalen Modells bei dieser Antwort beträgt {confidence}. Das Cloud-Modell antwortet wahrscheinlich besser (die Frage durchläuft zuerst den Datenschutzfilter).</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Installed</source>
        <extracomment>Tokens of the bundled text a receipt scores (as ``models quantize`` does by default).</extracomment>
        <translation>Installiert</translation>
    </message>
    <message>
        <source>The models on this device</source>
        <translation>Die Modelle auf diesem Gerät</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Empfohlen</translation>
    </message>
    <message>
        <source>Models to download</source>
        <translation>Modelle zum Herunterladen</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Downloads and their progress</source>
        <translation>Downloads und ihr Fortschritt</translation>
    </message>
    <message>
        <source>Quantize &amp;&amp; Prune</source>
        <translation>Quantisieren &amp;&amp; Ausdünnen</translation>
    </message>
    <message>
        <source>Make a smaller model from one here</source>
        <translation>Aus einem vorhandenen Modell ein kleineres erstellen</translation>
    </message>
    <message>
        <source>Go ahead</source>
        <translation>Fortfahren</translation>
    </message>
    <message>
        <source>Leave everything as it is</source>
        <translation>Alles so lassen, wie es ist</translation>
    </message>
    <message>
        <source>The models on this device; the buttons below act on the chosen one</source>
        <translation>Die Modelle auf diesem Gerät; die Schaltflächen darunter wirken auf das ausgewählte</translation>
    </message>
    <message>
        <source>Installed models</source>
        <translation>Installierte Modelle</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <source>Load this model now; the conversation continues with it.</source>
        <translation>Dieses Modell jetzt laden; die Unterhaltung wird damit fortgesetzt.</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Read the whole file and check it against its checksum</source>
        <translation>Die ganze Datei lesen und mit ihrer Prüfsumme vergleichen</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Entfernen…</translation>
    </message>
    <message>
        <source>Delete the chosen model from disk</source>
        <translation>Das ausgewählte Modell von der Festplatte löschen</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Copy a GGUF model file into the models folder</source>
        <translation>Eine GGUF-Modelldatei in den Modellordner kopieren</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Read the list of models and this machine again</source>
        <translation>Die Modellliste und die Daten dieses Rechners neu einlesen</translation>
    </message>
    <message>
        <source>Choose a model in the list first.</source>
        <translation>Wählen Sie zuerst ein Modell in der Liste aus.</translation>
    </message>
    <message>
        <source>{name} is the model in use.</source>
        <translation>{name} ist das verwendete Modell.</translation>
    </message>
    <message>
        <source>A model is being loaded; wait for it first.</source>
        <translation>Ein Modell wird gerade geladen; warten Sie bitte, bis es fertig ist.</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>{name} wird geprüft…</translation>
    </message>
    <message>
        <source>{name} cannot be used: {reason} The current model keeps running.</source>
        <translation>{name} kann nicht verwendet werden: {reason} Das aktuelle Modell läuft weiter.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>{name} wird geladen…</translation>
    </message>
    <message>
        <source>{name} could not be saved as the model to use.</source>
        <translation>{name} konnte nicht als zu verwendendes Modell gespeichert werden.</translation>
    </message>
    <message>
        <source>{name} is loaded. The conversation continues with it.</source>
        <translation>{name} ist geladen. Die Unterhaltung wird damit fortgesetzt.</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {reason} Switching back to the previous model.</source>
        <translation>{name} konnte nicht geladen werden: {reason} Es wird zum vorherigen Modell zurückgewechselt.</translation>
    </message>
    <message>
        <source>Verifying {name} (reading the whole file)…</source>
        <translation>{name} wird geprüft (die ganze Datei wird gelesen)…</translation>
    </message>
    <message>
        <source>{name} is intact: sha256 {sha256}… matches.</source>
        <translation>{name} ist unversehrt: sha256 {sha256}… stimmt überein.</translation>
    </message>
    <message>
        <source>{name} is built into the app and cannot be removed.</source>
        <translation>{name} ist in die App eingebaut und kann nicht entfernt werden.</translation>
    </message>
    <message>
        <source>{name} is the model in use. Use another model first, then remove it.</source>
        <translation>{name} ist das verwendete Modell. Verwenden Sie zuerst ein anderes Modell und entfernen Sie es dann.</translation>
    </message>
    <message>
        <source>Remove Model</source>
        <translation>Modell entfernen</translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from disk?</source>
        <translation>{name} ({size}) von der Festplatte löschen?</translation>
    </message>
    <message>
        <source>The model was removed.</source>
        <translation>Das Modell wurde entfernt.</translation>
    </message>
    <message>
        <source>Import a GGUF model</source>
        <translation>GGUF-Modell importieren</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <source>Checking and copying {name}…</source>
        <translation>{name} wird geprüft und kopiert…</translation>
    </message>
    <message>
        <source>{name} was imported ({size}).</source>
        <translation>{name} wurde importiert ({size}).</translation>
    </message>
    <message>
        <source>Models for this machine, the best fit first, each with a Download button</source>
        <translation>Modelle für diesen Rechner, das passendste zuerst, jedes mit einer Schaltfläche zum Herunterladen</translation>
    </message>
    <message>
        <source>Recommended models</source>
        <translation>Empfohlene Modelle</translation>
    </message>
    <message>
        <source>An https link to a GGUF file to download</source>
        <translation>Ein https-Link zu einer GGUF-Datei, die heruntergeladen werden soll</translation>
    </message>
    <message>
        <source>Link to a GGUF file</source>
        <translation>Link zu einer GGUF-Datei</translation>
    </message>
    <message>
        <source>Or paste an https link to a GGUF file</source>
        <translation>Oder fügen Sie einen https-Link zu einer GGUF-Datei ein</translation>
    </message>
    <message>
        <source>Download Link</source>
        <translation>Link herunterladen</translation>
    </message>
    <message>
        <source>Download the GGUF file of the link</source>
        <translation>Die GGUF-Datei des Links herunterladen</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Download {name} into the models folder</source>
        <translation>{name} in den Modellordner herunterladen</translation>
    </message>
    <message>
        <source>Download {name}</source>
        <translation>{name} herunterladen</translation>
    </message>
    <message>
        <source>No downloads yet: choose one under Recommended.</source>
        <translation>Noch keine Downloads: Wählen Sie ein Modell unter „Empfohlen“.</translation>
    </message>
    <message>
        <source>Paste a link to a GGUF file first.</source>
        <translation>Fügen Sie zuerst einen Link zu einer GGUF-Datei ein.</translation>
    </message>
    <message>
        <source>{name} is being downloaded already.</source>
        <translation>{name} wird bereits heruntergeladen.</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>{name} wird heruntergeladen…</translation>
    </message>
    <message>
        <source>Installed as {name} ({size}), verified.</source>
        <translation>Als {name} installiert ({size}), geprüft.</translation>
    </message>
    <message>
        <source>{name} is installed. Choose it under Installed and press Use.</source>
        <translation>{name} ist installiert. Wählen Sie es unter „Installiert“ und klicken Sie auf „Verwenden“.</translation>
    </message>
    <message>
        <source>Cancelled; nothing was kept.</source>
        <translation>Abgebrochen; nichts wurde behalten.</translation>
    </message>
    <message>
        <source>There is no model to start from.</source>
        <translation>Es gibt kein Modell, von dem ausgegangen werden kann.</translation>
    </message>
    <message>
        <source>A model is being made already.</source>
        <translation>Es wird bereits ein Modell erstellt.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Keep This Model?</source>
        <translation>Dieses Modell behalten?</translation>
    </message>
    <message>
        <source>{name} was deleted.</source>
        <translation>{name} wurde gelöscht.</translation>
    </message>
    <message>
        <source>{name} is ready. Choose it under Installed and press Use.</source>
        <translation>{name} ist fertig. Wählen Sie es unter „Installiert“ und klicken Sie auf „Verwenden“.</translation>
    </message>
</context>
<context>
    <name>ModelsTasks</name>
    <message>
        <source>connecting</source>
        <extracomment>A download&apos;s states (``Progress.state``) as a user reads them.</extracomment>
        <translation>wird verbunden</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>wird heruntergeladen</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>neuer Versuch</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>wird geprüft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). Details are in the log file.</source>
        <translation>Etwas ist schiefgegangen ({kind}). Einzelheiten stehen in der Protokolldatei.</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min left</source>
        <translation>noch {hours} h {minutes} min</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s left</source>
        <translation>noch {minutes} min {seconds} s</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>noch {seconds} s</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
    <message>
        <source>{model} (16-bit: perplexity {perplexity}), from {source}:</source>
        <translation>{model} (16 Bit: Perplexität {perplexity}), aus {source}:</translation>
    </message>
    <message>
        <source>, top-1 {top1}</source>
        <translation>, Top-1 {top1}</translation>
    </message>
    <message>
        <source>{type}: {size} GiB, perplexity {perplexity}, KL {kl}{top1}</source>
        <translation>{type}: {size} GiB, Perplexität {perplexity}, KL {kl}{top1}</translation>
    </message>
    <message>
        <source> without layers {layers}</source>
        <translation> ohne Schichten {layers}</translation>
    </message>
    <message>
        <source>{what} of {source}: perplexity {perplexity} (source {source_perplexity}), KL {kl} nats, top-1 agreement {top1}, {size} (source {source_size})</source>
        <translation>{what} von {source}: Perplexität {perplexity} (Ausgangsmodell {source_perplexity}), KL {kl} nats, Top-1-Übereinstimmung {top1}, {size} (Ausgangsmodell {source_size})</translation>
    </message>
    <message>
        <source>, {tps} tokens/s (source {source_tps})</source>
        <translation>, {tps} Tokens/s (Ausgangsmodell {source_tps})</translation>
    </message>
    <message>
        <source>; KL like {model} at {type} ({kl})</source>
        <translation>; KL wie {model} bei {type} ({kl})</translation>
    </message>
    <message>
        <source>What each column of the table shows</source>
        <translation>Was jede Spalte der Tabelle zeigt</translation>
    </message>
    <message>
        <source>Column headings</source>
        <translation>Spaltenüberschriften</translation>
    </message>
    <message>
        <source>The model file {path} is gone.</source>
        <translation>Die Modelldatei {path} ist nicht mehr vorhanden.</translation>
    </message>
    <message>
        <source>Remove it from the list.</source>
        <translation>Entfernen Sie sie aus der Liste.</translation>
    </message>
</context>
<context>
    <name>ModelsText</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Disk use</source>
        <translation>Speicherplatz</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Eignung</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In Verwendung</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Nachweis</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>embedded</source>
        <extracomment>Where a model came from (``ModelEntry.source``), as a word.</extracomment>
        <translation>eingebettet</translation>
    </message>
    <message>
        <source>download</source>
        <translation>heruntergeladen</translation>
    </message>
    <message>
        <source>import</source>
        <translation>importiert</translation>
    </message>
    <message>
        <source>derived</source>
        <translation>abgeleitet</translation>
    </message>
    <message>
        <source>tiny</source>
        <extracomment>The catalogue&apos;s capability tiers (``core.capability.TIERS``), as words.</extracomment>
        <translation>winzig</translation>
    </message>
    <message>
        <source>small</source>
        <translation>klein</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>large</source>
        <translation>groß</translation>
    </message>
    <message>
        <source>fits</source>
        <extracomment>``FitEstimate.label``, as words.</extracomment>
        <translation>passt</translation>
    </message>
    <message>
        <source>tight</source>
        <translation>knapp</translation>
    </message>
    <message>
        <source>won&apos;t fit</source>
        <translation>passt nicht</translation>
    </message>
    <message>
        <source>{label}: needs {need} of {free} free</source>
        <translation>{label}: braucht {need} von {free} frei</translation>
    </message>
    <message>
        <source>, ~{speed} tokens/s</source>
        <translation>, ~{speed} Tokens/s</translation>
    </message>
    <message>
        <source>{count}M parameters</source>
        <translation>{count} Mio. Parameter</translation>
    </message>
    <message>
        <source>in the app</source>
        <translation>in der App</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count} Bytes</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>in Verwendung</translation>
    </message>
    <message>
        <source>no SIMD flags reported</source>
        <translation>keine SIMD-Merkmale gemeldet</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <source>This machine: {free} of {total} memory free, {cores} cores ({simd}), {gpu}, {disk} free disk for models.</source>
        <translation>Dieser Rechner: {free} von {total} Arbeitsspeicher frei, {cores} Kerne ({simd}), {gpu}, {disk} freier Speicherplatz für Modelle.</translation>
    </message>
    <message>
        <source>Published reference points for receipts: {points}</source>
        <translation>Veröffentlichte Vergleichswerte für Nachweise: {points}</translation>
    </message>
    <message>
        <source>{layers} layers; up to {most} can be removed.</source>
        <translation>{layers} Schichten; bis zu {most} können entfernt werden.</translation>
    </message>
    <message>
        <source>Layers {chosen} of {layers} (the deepest middle layers first, after ShortGPT).</source>
        <translation>Schichten {chosen} von {layers} (die tiefsten mittleren Schichten zuerst, nach ShortGPT).</translation>
    </message>
    <message>
        <source>{name} is far from {source}: its KL divergence is {kl} nats, above the warning level of {warn}, and it ranks the same next token first only {top1} of the time. Keep it?</source>
        <translation>{name} weicht stark von {source} ab: Seine KL-Divergenz beträgt {kl} nats, über der Warnschwelle von {warn}, und es setzt nur in {top1} der Fälle dasselbe nächste Token an die erste Stelle. Behalten?</translation>
    </message>
</context>
<context>
    <name>MoneyPanel</name>
    <message>
        <source>Cloud spend and budget</source>
        <translation>Cloud-Ausgaben und Budget</translation>
    </message>
    <message>
        <source>today</source>
        <translation>heute</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>diesen Monat</translation>
    </message>
    <message>
        <source>Cloud spend in the period</source>
        <translation>Cloud-Ausgaben im Zeitraum</translation>
    </message>
    <message>
        <source>Estimated cloud cost avoided</source>
        <translation>Geschätzte eingesparte Cloud-Kosten</translation>
    </message>
    <message>
        <source>How the cost avoided is estimated</source>
        <translation>Wie die eingesparten Kosten geschätzt werden</translation>
    </message>
    <message>
        <source>Cloud spend in the period: {cost} (and {count} unpriced)</source>
        <translation>Cloud-Ausgaben im Zeitraum: {cost} (und {count} ohne Preis)</translation>
    </message>
    <message>
        <source>Cloud spend in the period: {cost}</source>
        <translation>Cloud-Ausgaben im Zeitraum: {cost}</translation>
    </message>
    <message>
        <source>Estimated cloud cost avoided: {cost}</source>
        <translation>Geschätzte eingesparte Cloud-Kosten: {cost}</translation>
    </message>
    <message>
        <source>(an estimate: local and edge tokens priced at {model}&apos;s rates)</source>
        <translation>(eine Schätzung: lokale und Edge-Tokens zu den Preisen von {model} berechnet)</translation>
    </message>
</context>
<context>
    <name>PiiChart</name>
    <message>
        <source>PII findings per type</source>
        <translation>Funde personenbezogener Daten je Art</translation>
    </message>
    <message>
        <source>Horizontal bars: how many findings of each kind of personal data</source>
        <translation>Waagerechte Balken: wie viele Funde es je Art personenbezogener Daten gibt</translation>
    </message>
    <message>
        <source>findings</source>
        <translation>Funde</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>keine gefunden</translation>
    </message>
</context>
<context>
    <name>PiiPanel</name>
    <message>
        <source>Personal data found</source>
        <translation>Gefundene personenbezogene Daten</translation>
    </message>
    <message>
        <source>Requests kept on this device by policy</source>
        <translation>Laut Richtlinie auf diesem Gerät behaltene Anfragen</translation>
    </message>
    <message>
        <source>Kept on this device by policy: {count}</source>
        <translation>Laut Richtlinie auf diesem Gerät behalten: {count}</translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <source>Replace with a placeholder</source>
        <extracomment>What happens to a finding, as the policy table names it (translated where it is shown).</extracomment>
        <translation>Durch einen Platzhalter ersetzen</translation>
    </message>
    <message>
        <source>Keep the request on this device</source>
        <translation>Die Anfrage auf diesem Gerät behalten</translation>
    </message>
    <message>
        <source>Send as it is</source>
        <translation>Unverändert senden</translation>
    </message>
    <message>
        <source>Person</source>
        <extracomment>The kinds of data in the policy table, as ``entity_label`` names ``ENTITY_TYPES`` (for lupdate).</extracomment>
        <translation>Person</translation>
    </message>
    <message>
        <source>Street Address</source>
        <translation>Straßenadresse</translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation>Postleitzahl</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Phone Number</source>
        <translation>Telefonnummer</translation>
    </message>
    <message>
        <source>Email Address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Credit Card</source>
        <translation>Kreditkarte</translation>
    </message>
    <message>
        <source>Iban Code</source>
        <translation>IBAN</translation>
    </message>
    <message>
        <source>National Id</source>
        <translation>Personalausweisnummer</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>Reisepass</translation>
    </message>
    <message>
        <source>Driver License</source>
        <translation>Führerschein</translation>
    </message>
    <message>
        <source>Ip Address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Domain Name</source>
        <translation>Domainname</translation>
    </message>
    <message>
        <source>Id Number</source>
        <translation>Ausweisnummer</translation>
    </message>
    <message>
        <source>Date Of Birth</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigene Begriffe</translation>
    </message>
    <message>
        <source>Never send anything off this device</source>
        <translation>Niemals etwas von diesem Gerät senden</translation>
    </message>
    <message>
        <source>A hard switch: every answer comes from the local model.</source>
        <translation>Ein fester Schalter: Jede Antwort kommt vom lokalen Modell.</translation>
    </message>
    <message>
        <source>Before every cloud send, show exactly what leaves and ask</source>
        <translation>Vor jedem Senden an die Cloud genau zeigen, was das Gerät verlässt, und nachfragen</translation>
    </message>
    <message>
        <source>Ask before each request goes to the cloud</source>
        <translation>Nachfragen, bevor eine Anfrage an die Cloud geht</translation>
    </message>
    <message>
        <source>Encrypt history and the placeholder vault on disk (applies at the next start)</source>
        <translation>Verlauf und Platzhalter-Tresor auf dem Datenträger verschlüsseln (gilt ab dem nächsten Start)</translation>
    </message>
    <message>
        <source>SQLCipher (AES-256) with a random key kept in the OS keyring: without that key the history cannot be read. Also: hybrid-desktop history encrypt / decrypt / status.</source>
        <translation>SQLCipher (AES-256) mit einem zufälligen Schlüssel im Schlüsselbund des Systems: Ohne diesen Schlüssel lässt sich der Verlauf nicht lesen. Auch: hybrid-desktop history encrypt / decrypt / status.</translation>
    </message>
    <message>
        <source>One per line: client names, project code names…</source>
        <translation>Einer pro Zeile: Kundennamen, Projekt-Codenamen…</translation>
    </message>
    <message>
        <source>Terms that are always replaced by a placeholder before a cloud send</source>
        <translation>Begriffe, die vor dem Senden an die Cloud immer durch einen Platzhalter ersetzt werden</translation>
    </message>
    <message>
        <source>Always private:</source>
        <translation>Immer privat:</translation>
    </message>
    <message>
        <source>One per line: terms never to replace</source>
        <translation>Einer pro Zeile: Begriffe, die nie ersetzt werden</translation>
    </message>
    <message>
        <source>Terms that are sent as they are, even when they look personal</source>
        <translation>Begriffe, die unverändert gesendet werden, auch wenn sie persönlich wirken</translation>
    </message>
    <message>
        <source>Never private:</source>
        <translation>Nie privat:</translation>
    </message>
    <message>
        <source>Kind of data</source>
        <translation>Art der Daten</translation>
    </message>
    <message>
        <source>When found</source>
        <translation>Wenn gefunden</translation>
    </message>
    <message>
        <source>For each kind of personal data, what happens when a request holds it</source>
        <translation>Für jede Art personenbezogener Daten: was geschieht, wenn eine Anfrage sie enthält</translation>
    </message>
    <message>
        <source>Privacy policy</source>
        <translation>Datenschutzregeln</translation>
    </message>
    <message>
        <source>Column titles</source>
        <translation>Spaltentitel</translation>
    </message>
    <message>
        <source>The titles of the columns: the kind of data and what happens when found</source>
        <translation>Die Titel der Spalten: die Art der Daten und was geschieht, wenn sie gefunden werden</translation>
    </message>
    <message>
        <source>What happens when a request holds this kind of data</source>
        <translation>Was geschieht, wenn eine Anfrage diese Art von Daten enthält</translation>
    </message>
    <message>
        <source>When found: {kind}</source>
        <translation>Wenn gefunden: {kind}</translation>
    </message>
</context>
<context>
    <name>PrivateBanner</name>
    <message>
        <source>Private: nothing from this conversation is kept on disk; only the audit record of what left this device.</source>
        <extracomment>The marker of a &quot;don&apos;t keep&quot; conversation (core.private), above its messages.</extracomment>
        <translation>Privat: Von dieser Unterhaltung wird nichts auf dem Datenträger gespeichert, nur der Protokolleintrag darüber, was dieses Gerät verlassen hat.</translation>
    </message>
    <message>
        <source>This conversation lives in memory only and is gone when the app quits or you leave it. What is sent off this device is still written to the audit log.</source>
        <translation>Diese Unterhaltung liegt nur im Arbeitsspeicher und ist weg, wenn die App beendet wird oder Sie sie verlassen. Was dieses Gerät verlässt, wird trotzdem ins Protokoll geschrieben.</translation>
    </message>
    <message>
        <source>Private conversation</source>
        <translation>Private Unterhaltung</translation>
    </message>
</context>
<context>
    <name>QuickPrompt</name>
    <message>
        <source>Quick Prompt</source>
        <extracomment>The window title and the conversation its turns go to (marked for translation: both are translated where they are shown; the conversation is found by either title). ``str()``: the Qt stubs type the marker&apos;s result as ``object``.</extracomment>
        <translation>Schnellfrage</translation>
    </message>
    <message>
        <source>Quick prompts</source>
        <translation>Schnellfragen</translation>
    </message>
    <message>
        <source>Type a question; Enter sends it, Esc hides this window</source>
        <translation>Eine Frage eingeben; die Eingabetaste sendet sie, Esc blendet dieses Fenster aus</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Ask anything…  (Enter sends, Esc hides)</source>
        <translation>Fragen Sie, was Sie möchten…  (Eingabe sendet, Esc blendet aus)</translation>
    </message>
    <message>
        <source>Answer status</source>
        <translation>Status der Antwort</translation>
    </message>
    <message>
        <source>The answer to your question, as it is written</source>
        <translation>Die Antwort auf Ihre Frage, während sie entsteht</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Copy Answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <source>Copy the answer (Ctrl+Shift+C)</source>
        <translation>Antwort kopieren (Strg+Umschalt+C)</translation>
    </message>
    <message>
        <source>Copy the answer to the clipboard</source>
        <translation>Die Antwort in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Open in Main Window</source>
        <translation>Im Hauptfenster öffnen</translation>
    </message>
    <message>
        <source>Continue this conversation in the main window</source>
        <translation>Diese Unterhaltung im Hauptfenster fortsetzen</translation>
    </message>
    <message>
        <source>thinking…</source>
        <translation>denkt nach…</translation>
    </message>
    <message>
        <source>answering…</source>
        <translation>antwortet…</translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation>Kopiert.</translation>
    </message>
</context>
<context>
    <name>ReasonList</name>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>{list}: columns</source>
        <translation>{list}: Spalten</translation>
    </message>
    <message>
        <source>The titles of the list&apos;s columns</source>
        <translation>Die Spaltenüberschriften der Liste</translation>
    </message>
    <message>
        <source>(no reason)</source>
        <translation>(kein Grund)</translation>
    </message>
    <message>
        <source>none in this period</source>
        <translation>keine in diesem Zeitraum</translation>
    </message>
</context>
<context>
    <name>ReasonsPanel</name>
    <message>
        <source>Top reasons</source>
        <translation>Häufigste Gründe</translation>
    </message>
    <message>
        <source>Escalation reason</source>
        <translation>Grund der Hochstufung</translation>
    </message>
    <message>
        <source>Top reasons for escalation</source>
        <translation>Häufigste Gründe für eine Hochstufung</translation>
    </message>
    <message>
        <source>The five commonest reasons a request went to a bigger model, with counts</source>
        <translation>Die fünf häufigsten Gründe, aus denen eine Anfrage an ein größeres Modell ging, mit ihrer Anzahl</translation>
    </message>
    <message>
        <source>Fallback reason</source>
        <translation>Grund für den Ausweichweg</translation>
    </message>
    <message>
        <source>Top reasons for fallback</source>
        <translation>Häufigste Gründe für einen Ausweichweg</translation>
    </message>
    <message>
        <source>The five commonest reasons a request took a fallback route, with counts</source>
        <translation>Die fünf häufigsten Gründe, aus denen eine Anfrage einen Ausweichweg nahm, mit ihrer Anzahl</translation>
    </message>
</context>
<context>
    <name>RouteChoice</name>
    <message>
        <source>Auto</source>
        <extracomment>(label, route) of the route choices. The labels are marked for translation in the context ``RouteChoice``: show them through :func:`route_choices` (or translate each label with ``QCoreApplication.translate(&quot;RouteChoice&quot;, label)``); the routes are data. ``str()``: the Qt stubs type the marker&apos;s result as ``object``.</extracomment>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
    <message>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
</context>
<context>
    <name>RouteCounts</name>
    <message>
        <source>Requests in the period</source>
        <translation>Anfragen im Zeitraum</translation>
    </message>
    <message>
        <source>Local requests</source>
        <translation>Lokale Anfragen</translation>
    </message>
    <message>
        <source>Edge requests</source>
        <translation>Edge-Anfragen</translation>
    </message>
    <message>
        <source>Cloud requests</source>
        <translation>Cloud-Anfragen</translation>
    </message>
    <message>
        <source>Requests per status</source>
        <translation>Anfragen je Status</translation>
    </message>
    <message>
        <source>1 request:</source>
        <translation>1 Anfrage:</translation>
    </message>
    <message numerus="yes">
        <source>{count} requests:</source>
        <translation>
            <numerusform>{count} Anfrage:</numerusform>
            <numerusform>{count} Anfragen:</numerusform>
        </translation>
    </message>
    <message>
        <source>No requests in this period.</source>
        <translation>Keine Anfragen in diesem Zeitraum.</translation>
    </message>
</context>
<context>
    <name>RouteShareChart</name>
    <message>
        <source>Requests per route over time</source>
        <extracomment>How many buckets the share chart shows at most (the newest), so its axis stays readable.</extracomment>
        <translation>Anfragen je Weg im Zeitverlauf</translation>
    </message>
    <message>
        <source>Stacked bars: local, edge and cloud requests per day, week or month</source>
        <translation>Gestapelte Balken: lokale, Edge- und Cloud-Anfragen je Tag, Woche oder Monat</translation>
    </message>
    <message numerus="yes">
        <source>the last %n weeks shown</source>
        <translation>
            <numerusform>die letzte %n Woche gezeigt</numerusform>
            <numerusform>die letzten %n Wochen gezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last %n months shown</source>
        <translation>
            <numerusform>der letzte %n Monat gezeigt</numerusform>
            <numerusform>die letzten %n Monate gezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last %n days shown</source>
        <translation>
            <numerusform>der letzte %n Tag gezeigt</numerusform>
            <numerusform>die letzten %n Tage gezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>{route} {count} ({share})</source>
        <translation>{route} {count} ({share})</translation>
    </message>
    <message numerus="yes">
        <source>{when}: %n requests; {parts}</source>
        <translation>
            <numerusform>{when}: %n Anfrage; {parts}</numerusform>
            <numerusform>{when}: %n Anfragen; {parts}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunningApp</name>
    <message>
        <source>The disk that holds your history is full: your conversations can be read, but nothing new can be saved until you free some space on it.</source>
        <extracomment>Threads of the app&apos;s one pool of short jobs (privacy scans, probes, model lists).</extracomment>
        <translation>Der Datenträger mit Ihrem Verlauf ist voll: Ihre Unterhaltungen lassen sich lesen, aber nichts Neues kann gespeichert werden, bis Sie dort Platz schaffen.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>All routes</source>
        <extracomment>The pause after the last key before a search starts. How many hits the list shows. The filter choices: label (translated where shown), route (None: every route).</extracomment>
        <translation>Alle Wege</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
    <message>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>local</source>
        <extracomment>Where a hit&apos;s message came from, as a hit&apos;s row names it (translated where shown).</extracomment>
        <translation>lokal</translation>
    </message>
    <message>
        <source>edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Search history (Ctrl+F)</source>
        <extracomment>A hit was opened: conversation id, message id. True while the box has text (the hits are shown instead of the conversations). After each search&apos;s hits are shown (tests): the list of Hit.</extracomment>
        <translation>Verlauf durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <source>Empty the search box and show the conversations again</source>
        <translation>Das Suchfeld leeren und wieder die Unterhaltungen zeigen</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <source>Search history</source>
        <translation>Verlauf durchsuchen</translation>
    </message>
    <message>
        <source>Finds messages in every conversation as you type; Esc clears.</source>
        <translation>Findet schon beim Tippen Nachrichten in allen Unterhaltungen; Esc leert das Feld.</translation>
    </message>
    <message>
        <source>Search every conversation&apos;s messages (Ctrl+F); Esc clears</source>
        <translation>Die Nachrichten aller Unterhaltungen durchsuchen (Strg+F); Esc leert das Feld</translation>
    </message>
    <message>
        <source>Only messages answered on this route</source>
        <translation>Nur Nachrichten, die auf diesem Weg beantwortet wurden</translation>
    </message>
    <message>
        <source>Search route filter</source>
        <translation>Wegfilter der Suche</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>Suchstatus</translation>
    </message>
    <message>
        <source>The messages found; Enter opens one in its conversation.</source>
        <translation>Die gefundenen Nachrichten; die Eingabetaste öffnet eine davon in ihrer Unterhaltung.</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>The history is not open yet.</source>
        <extracomment>Hits of the last search shown.</extracomment>
        <translation>Der Verlauf ist noch nicht geöffnet.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>The search failed; details are in the log file.</source>
        <translation>Die Suche ist fehlgeschlagen; Einzelheiten stehen in der Logdatei.</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title}: {text}</translation>
    </message>
    <message>
        <source>{title}
{time} UTC</source>
        <translation>{title}
{time} UTC</translation>
    </message>
    <message>
        <source>No messages match.</source>
        <translation>Keine passenden Nachrichten.</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) (the newest)</source>
        <translation>
            <numerusform>%n Nachricht (die neueste)</numerusform>
            <numerusform>%n Nachrichten (die neuesten)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n Nachricht</numerusform>
            <numerusform>%n Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>The dialog&apos;s pages, in tab order (``RunningApp.open_settings(page)``). The API key was saved or removed here (the cloud tier reads it again).</extracomment>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>The pages of the settings: Model, General, Cloud, Edge and Privacy</source>
        <extracomment>The app&apos;s task pool (a dialog opened on its own makes a small one when needed).</extracomment>
        <translation>Die Seiten der Einstellungen: Modell, Allgemein, Cloud, Edge und Datenschutz</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>Einstellungsseiten</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Datenschutz</translation>
    </message>
    <message>
        <source>Embedded model ({name})</source>
        <translation>Eingebautes Modell ({name})</translation>
    </message>
    <message>
        <source>The GGUF model file to answer with; empty: the embedded model</source>
        <translation>Die GGUF-Modelldatei, die antwortet; leer: das eingebaute Modell</translation>
    </message>
    <message>
        <source>Model file (GGUF)</source>
        <translation>Modelldatei (GGUF)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose a GGUF model file on this computer</source>
        <translation>Eine GGUF-Modelldatei auf diesem Computer auswählen</translation>
    </message>
    <message>
        <source>Use Embedded</source>
        <translation>Eingebautes verwenden</translation>
    </message>
    <message>
        <source>Use the model that comes with the app</source>
        <translation>Das Modell verwenden, das mit der App kommt</translation>
    </message>
    <message>
        <source>Model file (GGUF):</source>
        <translation>Modelldatei (GGUF):</translation>
    </message>
    <message>
        <source>How many processor threads the local model uses</source>
        <translation>Wie viele Prozessor-Threads das lokale Modell nutzt</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>CPU-Threads:</translation>
    </message>
    <message>
        <source>Tokens of conversation the model sees. More uses more memory.</source>
        <translation>Tokens der Unterhaltung, die das Modell sieht. Mehr braucht mehr Arbeitsspeicher.</translation>
    </message>
    <message>
        <source>Context size (tokens):</source>
        <translation>Kontextgröße (Tokens):</translation>
    </message>
    <message>
        <source>The most tokens one answer may have</source>
        <translation>Die höchste Zahl an Tokens, die eine Antwort haben darf</translation>
    </message>
    <message>
        <source>Longest answer (tokens):</source>
        <translation>Längste Antwort (Tokens):</translation>
    </message>
    <message>
        <source>Higher values give more varied answers</source>
        <translation>Höhere Werte ergeben abwechslungsreichere Antworten</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <source>Only the likeliest words up to this share are chosen from</source>
        <translation>Nur die wahrscheinlichsten Wörter bis zu diesem Anteil kommen in Frage</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <source>Higher values make the model repeat itself less</source>
        <translation>Höhere Werte lassen das Modell sich weniger wiederholen</translation>
    </message>
    <message>
        <source>Repeat penalty:</source>
        <translation>Wiederholungsstrafe:</translation>
    </message>
    <message>
        <source>Optional: instructions the model gets first</source>
        <translation>Optional: Anweisungen, die das Modell zuerst erhält</translation>
    </message>
    <message>
        <source>Instructions the model gets before every conversation</source>
        <translation>Anweisungen, die das Modell vor jeder Unterhaltung erhält</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>System-Prompt:</translation>
    </message>
    <message>
        <source>Save the settings and close</source>
        <translation>Die Einstellungen speichern und schließen</translation>
    </message>
    <message>
        <source>Off (for example Ctrl+Alt+Space)</source>
        <translation>Aus (zum Beispiel Ctrl+Alt+Space)</translation>
    </message>
    <message>
        <source>The key combination that opens the Quick Prompt from anywhere</source>
        <translation>Die Tastenkombination, die die Schnellfrage von überall öffnet</translation>
    </message>
    <message>
        <source>Quick Prompt hotkey:</source>
        <translation>Tastenkürzel für die Schnellfrage:</translation>
    </message>
    <message>
        <source>Closing the window keeps Hybrid Desktop in the tray</source>
        <translation>Beim Schließen des Fensters bleibt Hybrid Desktop im Infobereich</translation>
    </message>
    <message>
        <source>Off: closing the window quits the app</source>
        <translation>Aus: Das Schließen des Fensters beendet die App</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>Minimiert im Infobereich starten</translation>
    </message>
    <message>
        <source>Start with the window hidden, only in the tray</source>
        <translation>Mit verborgenem Fenster starten, nur im Infobereich</translation>
    </message>
    <message>
        <source>Notify me when an answer is ready in the background</source>
        <translation>Benachrichtigen, wenn eine Antwort im Hintergrund fertig ist</translation>
    </message>
    <message>
        <source>A tray notification when an answer completes while no Hybrid Desktop window has the focus (the window minimised or hidden, the Quick Prompt closed)</source>
        <translation>Eine Benachrichtigung im Infobereich, wenn eine Antwort fertig ist, während kein Fenster von Hybrid Desktop den Fokus hat (das Fenster minimiert oder verborgen, die Schnellfrage geschlossen)</translation>
    </message>
    <message>
        <source>Start Hybrid Desktop when I log in</source>
        <translation>Hybrid Desktop bei der Anmeldung starten</translation>
    </message>
    <message>
        <source>Start the app with your desktop session</source>
        <translation>Die App mit Ihrer Desktop-Sitzung starten</translation>
    </message>
    <message>
        <source>Tray:</source>
        <translation>Infobereich:</translation>
    </message>
    <message>
        <source>System follows the system&apos;s light or dark scheme, live.</source>
        <translation>System folgt dem hellen oder dunklen Farbschema des Systems, sofort.</translation>
    </message>
    <message>
        <source>System follows the system&apos;s light or dark scheme as it changes; Light or Dark keeps that one.</source>
        <translation>System folgt dem hellen oder dunklen Farbschema des Systems, sobald es wechselt; Hell oder Dunkel behält dieses bei.</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>Farben:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Applies the next time Hybrid Desktop starts.</source>
        <translation>Gilt ab dem nächsten Start von Hybrid Desktop.</translation>
    </message>
    <message>
        <source>The language of the window&apos;s texts.</source>
        <translation>Die Sprache der Texte im Fenster.</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>Offline mode: no network call of any kind</source>
        <translation>Offline-Modus: keinerlei Netzwerkzugriffe</translation>
    </message>
    <message>
        <source>A hard switch: nothing is sent and nothing probed</source>
        <translation>Ein fester Schalter: Nichts wird gesendet und nichts geprüft</translation>
    </message>
    <message>
        <source>Paste an Anthropic API key to save it in the OS keyring</source>
        <translation>Fügen Sie einen Anthropic-API-Schlüssel ein, um ihn im Schlüsselbund des Systems zu speichern</translation>
    </message>
    <message>
        <source>A new Anthropic API key; Save Key keeps it in the OS keyring</source>
        <translation>Ein neuer Anthropic-API-Schlüssel; Schlüssel speichern legt ihn im Schlüsselbund des Systems ab</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Save Key</source>
        <translation>Schlüssel speichern</translation>
    </message>
    <message>
        <source>Save the key typed here in the OS keyring</source>
        <translation>Den hier eingegebenen Schlüssel im Schlüsselbund des Systems speichern</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>Schlüssel entfernen</translation>
    </message>
    <message>
        <source>Remove the saved API key from the OS keyring</source>
        <translation>Den gespeicherten API-Schlüssel aus dem Schlüsselbund des Systems entfernen</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <source>The Claude model that answers cloud requests</source>
        <translation>Das Claude-Modell, das Cloud-Anfragen beantwortet</translation>
    </message>
    <message>
        <source>Cloud model</source>
        <translation>Cloud-Modell</translation>
    </message>
    <message>
        <source>Refresh List</source>
        <translation>Liste aktualisieren</translation>
    </message>
    <message>
        <source>Ask the Models API which models this key can use (needs the network)</source>
        <translation>Die Models API fragen, welche Modelle dieser Schlüssel nutzen kann (braucht das Netzwerk)</translation>
    </message>
    <message>
        <source>Cloud model:</source>
        <translation>Cloud-Modell:</translation>
    </message>
    <message>
        <source>Default: ANTHROPIC_BASE_URL or api.anthropic.com</source>
        <translation>Standard: ANTHROPIC_BASE_URL oder api.anthropic.com</translation>
    </message>
    <message>
        <source>The address of the Messages API to send to</source>
        <translation>Die Adresse der Messages API, an die gesendet wird</translation>
    </message>
    <message>
        <source>API endpoint:</source>
        <translation>API-Endpunkt:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Seconds to wait for the cloud before answering locally</source>
        <translation>Sekunden, die auf die Cloud gewartet wird, bevor lokal geantwortet wird</translation>
    </message>
    <message>
        <source>Give up after:</source>
        <translation>Aufgeben nach:</translation>
    </message>
    <message>
        <source>Over this, requests are answered locally. 0: no cap.</source>
        <translation>Darüber werden Anfragen lokal beantwortet. 0: keine Grenze.</translation>
    </message>
    <message>
        <source>Daily budget:</source>
        <translation>Tagesbudget:</translation>
    </message>
    <message>
        <source>Over this in a month, requests are answered locally. 0: no cap.</source>
        <translation>Ist dies in einem Monat erreicht, werden Anfragen lokal beantwortet. 0: keine Grenze.</translation>
    </message>
    <message>
        <source>Monthly budget:</source>
        <translation>Monatsbudget:</translation>
    </message>
    <message>
        <source>The API key is saved in the OS keyring ({backend}).</source>
        <translation>Der API-Schlüssel ist im Schlüsselbund des Systems gespeichert ({backend}).</translation>
    </message>
    <message>
        <source>The API key was removed from the OS keyring.</source>
        <translation>Der API-Schlüssel wurde aus dem Schlüsselbund des Systems entfernt.</translation>
    </message>
    <message>
        <source>There was no API key in the OS keyring.</source>
        <translation>Im Schlüsselbund des Systems war kein API-Schlüssel.</translation>
    </message>
    <message>
        <source>Offline mode is on: the model list is not fetched.</source>
        <translation>Der Offline-Modus ist eingeschaltet: Die Modellliste wird nicht abgerufen.</translation>
    </message>
    <message>
        <source>Save an API key first.</source>
        <translation>Speichern Sie zuerst einen API-Schlüssel.</translation>
    </message>
    <message>
        <source>Asking the Models API…</source>
        <translation>Die Models API wird gefragt…</translation>
    </message>
    <message>
        <source>The Models API returned no models.</source>
        <translation>Die Models API hat keine Modelle geliefert.</translation>
    </message>
    <message numerus="yes">
        <source>%n models available.</source>
        <translation>
            <numerusform>%n Modell verfügbar.</numerusform>
            <numerusform>%n Modelle verfügbar.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a GGUF model</source>
        <translation>GGUF-Modell auswählen</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The embedded {name} model will be used.</source>
        <translation>Das eingebaute Modell {name} wird verwendet.</translation>
    </message>
    <message>
        <source>, trained context {tokens}</source>
        <translation>, trainierter Kontext {tokens}</translation>
    </message>
    <message>
        <source>{name} ({architecture}{context}), {size} MB</source>
        <translation>{name} ({architecture}{context}), {size} MB</translation>
    </message>
    <message>
        <source>unknown architecture</source>
        <translation>unbekannte Architektur</translation>
    </message>
    <message>
        <source>System</source>
        <extracomment>The choices of ``Settings.color_scheme``, as the Colours list names them (translated where they are shown).</extracomment>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
</context>
<context>
    <name>StatusReadouts</name>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>The local model and its state</source>
        <translation>Das lokale Modell und sein Zustand</translation>
    </message>
    <message>
        <source>Shown while the model loads</source>
        <translation>Wird angezeigt, während das Modell lädt</translation>
    </message>
    <message>
        <source>Loading the model</source>
        <translation>Das Modell wird geladen</translation>
    </message>
    <message>
        <source>How fast the last answer came</source>
        <translation>Wie schnell die letzte Antwort kam</translation>
    </message>
    <message>
        <source>Whether the privacy gate that finds personal data is ready</source>
        <translation>Ob der Datenschutzfilter, der personenbezogene Daten findet, bereit ist</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Das Modell wird geladen…</translation>
    </message>
    <message>
        <source>Model ready: {name}</source>
        <translation>Modell bereit: {name}</translation>
    </message>
    <message>
        <source>{path}
context {n_ctx} tokens · {threads} threads · loaded in {ms} ms</source>
        <translation>{path}
Kontext {n_ctx} Tokens · {threads} Threads · in {ms} ms geladen</translation>
    </message>
    <message>
        <source>Model not loaded</source>
        <translation>Modell nicht geladen</translation>
    </message>
    <message>
        <source>Privacy gate: loading…</source>
        <translation>Datenschutzfilter: wird geladen…</translation>
    </message>
    <message>
        <source>Privacy gate: ready</source>
        <translation>Datenschutzfilter: bereit</translation>
    </message>
    <message>
        <source>Privacy gate: unavailable</source>
        <translation>Datenschutzfilter: nicht verfügbar</translation>
    </message>
    <message>
        <source>{rate} tokens/s · first token {ms} ms</source>
        <translation>{rate} Tokens/s · erstes Token {ms} ms</translation>
    </message>
    <message>
        <source>{server}: {speed}</source>
        <translation>{server}: {speed}</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>This desktop has no system tray (some Linux desktops need an extension such as AppIndicator support), so closing the main window quits Hybrid Desktop.</source>
        <extracomment>Why there is no tray icon (translate where shown: ``QCoreApplication.translate(&quot;Tray&quot;, …)``).</extracomment>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich (manche Linux-Arbeitsumgebungen brauchen dafür eine Erweiterung wie die AppIndicator-Unterstützung), daher beendet das Schließen des Hauptfensters Hybrid Desktop.</translation>
    </message>
    <message>
        <source>Quick Prompt</source>
        <extracomment>What the icon shows: idle, busy, cloud or offline. Where the answer streaming now comes from (&quot;&quot; : nothing streams).</extracomment>
        <translation>Schnellfrage</translation>
    </message>
    <message>
        <source>Ask a question in a small window</source>
        <translation>Eine Frage in einem kleinen Fenster stellen</translation>
    </message>
    <message>
        <source>Open Hybrid Desktop</source>
        <translation>Hybrid Desktop öffnen</translation>
    </message>
    <message>
        <source>Show the main window</source>
        <translation>Das Hauptfenster anzeigen</translation>
    </message>
    <message>
        <source>Models…</source>
        <translation>Modelle…</translation>
    </message>
    <message>
        <source>Choose, download and manage the local models</source>
        <translation>Lokale Modelle auswählen, herunterladen und verwalten</translation>
    </message>
    <message>
        <source>Offline Mode</source>
        <translation>Offline-Modus</translation>
    </message>
    <message>
        <source>No network call of any kind while this is on.</source>
        <translation>Solange dies eingeschaltet ist, gibt es keinerlei Netzwerkzugriffe.</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Quit {app}</source>
        <translation>{app} beenden</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <source>answering on this device</source>
        <translation>antwortet auf diesem Gerät</translation>
    </message>
    <message>
        <source>answering with the cloud model</source>
        <translation>antwortet mit dem Cloud-Modell</translation>
    </message>
    <message>
        <source>answering with an edge server</source>
        <translation>antwortet über einen Edge-Server</translation>
    </message>
    <message>
        <source>{app} — {state}</source>
        <translation>{app} — {state}</translation>
    </message>
</context>
<context>
    <name>TurnController</name>
    <message>
        <source>Personal data is found on this device ({model}).</source>
        <extracomment>Settings whose change means loading the model again. Who asked (&quot;window&quot;, &quot;quick&quot;), for the views that filter by it. A cloud plan waits for the user&apos;s look at what would leave: request id, TurnPlan. The user cancelled at the confirmation; nothing was stored: request id, TurnRequest. Any turn ended: a TurnResult or a TurnFailure.</extracomment>
        <translation>Personenbezogene Daten werden auf diesem Gerät erkannt ({model}).</translation>
    </message>
    <message>
        <source>The privacy gate could not run ({error}); nothing will be sent off this device. Details are in the log file.</source>
        <translation>Der Datenschutzfilter konnte nicht ausgeführt werden ({error}); nichts wird von diesem Gerät gesendet. Einzelheiten stehen in der Logdatei.</translation>
    </message>
</context>
</TS>
