<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AccountsBox</name>
    <message>
        <source>Type</source>
        <extracomment>An account was added, changed or closed: the profile is read again.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status} {day}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{account}: {status}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close {account} for good?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The customer&apos;s reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A closed account stays on the record with the day and the reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{account} closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <source>Add account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new account or card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Announcer</name>
    <message>
        <source>Spoken calls are not available on this computer ({reason}); calls are shown with a chime instead.</source>
        <extracomment>Environment variable naming the Qt text-to-speech engine (&quot;mock&quot; in the tests). Pause between two utterances, so &quot;…办理业务。请 A024 号…&quot; does not run together. An utterance that has not finished after this long is stopped: the queue never stalls. How long an engine may take to start before the chime is used instead. Once, with a sentence for the admin, when calls are chimed instead of spoken. An utterance (the text) or a chime (&quot;&quot;) has started. Everything queued has been said.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text-to-speech engine could not start ({reason}); calls are shown with a chime instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Chinese text-to-speech voice is installed, so calls cannot be spoken; the display plays a chime and flashes each call instead. Install a Chinese voice on this computer to hear the numbers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No English text-to-speech voice is installed, so calls cannot be spoken; the display plays a chime and flashes each call instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text-to-speech engine failed ({reason}); calls are shown with a chime instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text-to-speech engine did not start; calls are shown with a chime instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <source>Book an appointment</source>
        <extracomment>Bookable slots: half-hour slots from the first to the last start time of the day. How far ahead the desk books.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date and time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Book</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booking code — the customer enters it at the kiosk on arrival:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bookings that day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show phone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the selected customer&apos;s full phone number, to call them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No free slot left that day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({code}): {phone}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, {phone} — {business}, {day} {start}–{end}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ArrivalsBox</name>
    <message>
        <source>My customers in the branch now</source>
        <extracomment>Waiting minutes grow without any change: read again this often. A customer who was not here at the last read has arrived (their ticket id). A customer of the list was chosen: open their profile.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers with a manager in the branch now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tier} {name} arrived, {ticket}, waiting {minutes} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — {manager}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AssignManagerDialog</name>
    <message>
        <source>Relationship manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who looks after {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manager:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>Signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account unlocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: no permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full value shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer record changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiers recomputed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Periodic review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter services changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist template imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data key rotated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>via</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>was locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>previous copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>masked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>teller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>business type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moved up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moved down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scores recomputed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manager (user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account inactive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>own password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>occupation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>business licence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>individual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>corporate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <extracomment>Today in the branch&apos;s time zone (the filter&apos;s days are the branch&apos;s days).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing the newest {count} entries; narrow the filter to see older ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries: {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be written: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BindingCheck</name>
    <message>
        <source>BranchDesk cannot run on this computer&apos;s Qt binding: PySide6 {pyside} on Python {python} loses object references on every screen update and would stop within minutes. Install the version BranchDesk is tested with (pip install &quot;PySide6&lt;6.12&quot;), use Python 3.12 or newer, or use BranchDesk&apos;s installation package.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BranchPage</name>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The branch this workstation belongs to. A new branch is created with its counters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As shown to customers on slips and letters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch {code} is already in the database; its names and counters are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new branch is created.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BranchSettingsDialog</name>
    <message>
        <source>Branch settings — {branch}</source>
        <extracomment>Errors about a rule between settings name the group; the dialog then shows its first member.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These values are the same on every workstation of the branch. Each workstation uses the saved values from its next sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch settings saved: {count}. Each workstation uses them from its next sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallBoard</name>
    <message>
        <source>Calling display — {branch}</source>
        <extracomment>The smallest type a tile name shrinks to so that its longest word fits (pixels). The calls shown, newest first (at most the history size). False: the board says &quot;not connected&quot; and blanks the calls rather than show stale ones. The tickets shown that are still called or being served: only such a ticket is the hero&apos;s &quot;now calling&quot; (never one finished or marked a no-show meanwhile).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the queue system — calls are paused. Please ask our staff for help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now calling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please wait for your number to be called</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls are paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please go to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallingDisplay</name>
    <message>
        <source>Spoken calls unavailable: chime only</source>
        <extracomment>How often the branch&apos;s notice is re-read (see check_notice). Calls found on catching up after an outage are listed, but only announced when this fresh: a customer called ten minutes ago has already been served or marked a no-show. Page size when reading the calls feed; a longer backlog is read page by page. A new call was shown (CallNotice). The board switched between live (True) and &quot;Not connected&quot; (False).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm new password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new passwords do not match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least {min} characters, with letters and digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least {min} characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChecklistPane</name>
    <message>
        <source>unknown</source>
        <extracomment>What a read brings: the ticket at the counter and its run (each None when there is none).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s age, from the ID; steps for customers 65 or older are added when it is unknown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer age:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor override for all open steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blank paper form…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overridden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by {supervisor}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed by {supervisor}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No ticket at this counter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist for {number} started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor must confirm: {step}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override all open required steps ({count}) so the ticket can be finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No required steps are open: the ticket can be finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip “{step}”. Why?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. customer declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override the required step “{step}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blank checklist form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No ticket at this counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} · {business} — no checklist started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} · {title} (version {version})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finishing is blocked by {count} required step(s): {steps}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComplaintDetail</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete draft…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledgement…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply letter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a complaint to see its history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not satisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference} — {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received {received}, due {due}; first contact {owner}, handler {handler}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facts and reasons: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket: {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision: {text}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComplaintEntryDialog</name>
    <message>
        <source>Record complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One document per line, e.g. copy of ID card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classification (JR/T 0169-2018)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received via:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorisation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter complained about:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Staff complained about:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified social credit code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject details:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facts and reasons:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents received:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the marked fields ({count}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComplaintPersonal</name>
    <message>
        <source>Complainant:</source>
        <extracomment>(field, grid row, grid column) of each personal value shown.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Complaints</name>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extend deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause for appraisal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge into…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the extension:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appraisal awaited:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New facts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings and decision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply given:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant&apos;s view:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review request:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for withdrawal:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge into:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComplaintsPane</name>
    <message>
        <source>New complaint…</source>
        <extracomment>What a read of the pane brings: the list, the complaint the read was made for (its id, None) and that complaint&apos;s detail (None when nothing was selected or it left the list).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due within 3 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All handlers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (paused)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {reference} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not satisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{step}: {reference}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{step}: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledgement {reference}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply letter {reference}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>as of {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the queue system — tickets cannot be issued right now. Please ask our staff for help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{message} Figures {as_of}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterActions</name>
    <message>
        <source>Call next (F1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recall (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start (F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No-show (F4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer… (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause… (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish with note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put back in queue…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Park…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service receipt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record complaint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish (F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recall {count} more time(s) first (F2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service receipt {number}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterDialogs</name>
    <message>
        <source>Put back in queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put {number} back in the queue in its old place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. customer is filling in a form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Park ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set {number} aside at this counter and serve others meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. customer fetching a document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call a specific ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call {number} out of turn. Why?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. elderly customer, documents ready</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterStateLabel</name>
    <message>
        <source>No counter selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} — {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterStatsBox</name>
    <message>
        <source>My day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg. service (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg. rating</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>BranchDesk hit an unexpected error (reference {ref}):
{error}

The details are in the log file:
{log}

Tell support the reference. If the window no longer responds, restart BranchDesk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BranchDesk — unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerHistoryDialog</name>
    <message>
        <source>Record history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything done to the record of {name}, newest first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerRecordDialog</name>
    <message>
        <source>Change customer record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register a customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Individual</source>
        <extracomment>After Save: the new customer&apos;s id, or the changed fields.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corporate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {phone}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact person:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Industry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enterprise size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business licence:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent covers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent given on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit code:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platinum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diamond</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compliant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Birthday greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Individual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corporate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debit card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Savings account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settlement account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dormant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Called</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Being served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No-show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>under 20</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{low}–{high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Middle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep and use the data to serve the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact for marketing and care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share within the banking group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Micro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity document seen and valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phones and contact confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupation confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business licence seen and valid</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <source>Name, ID number, phone (or its last 4 digits), card or account number, credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gender · age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A customer has arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import customers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register a customer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No customers found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>Lobby dashboard — {branch}</source>
        <extracomment>Waits grow between events: re-read at least this often. Narrower than this (a 1024-pixel screen, the dashboard tab of a main window), the tables use smaller type.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the database: the figures below are not live and alerts cannot be checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{branch} — lobby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full screen (F11)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{open} open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{soon} due soon · {overdue} overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest
wait
(min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg. wait
(min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg.
service
(min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time
(min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{business}: {waiting:.0f} waiting, more than the open counters can take ({limit:.0f}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a flexible counter: counter {counters} can serve it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open
counters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No ratings yet · goal {goal}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{satisfied} of {ratings} ratings · goal {goal}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{business}: a customer has waited {minutes:.0f} min (limit {limit:.0f}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No paused or closed counter serves it; change a counter&apos;s services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts cannot be checked while the database is not connected (figures {as_of}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts cannot be checked while the database is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alerts: every queue is within its limits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where BranchDesk keeps the queue, users and records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local database on this computer (one workstation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared PostgreSQL server (several workstations or branches)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Wrong user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} ({role}) may not {action}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} {key} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} is {status}; it cannot be {action}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} is still serving {ticket}; finish it or mark it a no-show first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} was given a ticket by another workstation at the same moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} has no called ticket.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operation could not be completed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} is {state}; resume it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} is already {state}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} still holds parked ticket {ticket}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} has been recalled {recalls} of {needed} times; recall it before marking a no-show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} is not waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} is not finished; rate it after the service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This service has already been rated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>issue tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} is not finished yet; a receipt is printed after service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment {booking} is already {status}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: step {step}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} cannot be finished: {count} required checklist step(s) still open, starting with “{step}”. Complete them or ask a supervisor to override.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every step of this checklist has been dealt with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No required step is open; nothing to override.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{step}” is not the next step; “{current}” comes first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{step}” is optional; skip it with a reason instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{step}” is required; it cannot be skipped without a supervisor&apos;s override.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {ticket} is {status}; its checklist can no longer be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checklist of ticket {ticket} still has required steps open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template {business_type} version {version} is not newer than version {latest}; raise the version in the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {complaint} is {status}; it cannot be {action}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The deadline is already at its maximum of {days} days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The complaint is already paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The complaint is not paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {complaint} is waiting for an appraisal; resume it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review window of {days} days after the decision has passed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {complaint} is no longer a draft.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint #{complaint} is still a draft; submit it before printing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>called</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>being served</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parked</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a no-show</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transferred</source>
        <comment>ticket status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>booked</source>
        <comment>appointment status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checked in</source>
        <comment>appointment status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <comment>appointment status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a draft</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>under investigation</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extended</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decided</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>under review</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withdrawn</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merged</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <comment>counter state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <comment>counter state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <comment>counter state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>called</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recalled</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>marked a no-show</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>put back in the queue</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parked</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resumed</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transferred</source>
        <comment>ticket action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>serve at a counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>work for another branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>override checklist steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage checklist templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>submitted</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>investigated</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extended</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused for an appraisal</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>given new facts</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assigned</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decided</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replied to</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent for review</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withdrawn</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merged</source>
        <comment>complaint action</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>record complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handle complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extend complaint deadlines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>view reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reveal their own customers&apos; full data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give customers their relationship manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>register and change customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merge customer records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the branch&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customer manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wealth manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>teller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lobby manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edit the counter services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment {booking} is for {day}, not today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {complaint} has no decision yet; the reply letter is printed after the decision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>view the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slot length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose a business type or a counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a mainland mobile number (11 digits) or a landline with area code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This database is on a PostgreSQL server: back it up there with pg_dump (see the README).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is not a BranchDesk database backup: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup could not be completed: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be reached: the action was not carried out. BranchDesk reconnects by itself as soon as it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong passwords: the account is locked for {minutes} more minutes, or until a supervisor unlocks it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place in queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rating source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant&apos;s ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant&apos;s contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent&apos;s contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent&apos;s authorisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data key file {path} is missing, and this database&apos;s personal data needs the key with fingerprint {expected}. Restore the branch&apos;s copy of the key file; no new key is made for a database that holds encrypted data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no data key yet ({path}). Create one with &apos;branchdesk-admin keys create&apos; (a supervisor), or run the first-run setup; then keep a copy of it with the branch&apos;s backups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data key from {source} (fingerprint {found}) is not the key this database&apos;s personal data was encrypted with (fingerprint {expected}). Restore the branch&apos;s key file; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data key from {source} cannot be used: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no database at {path}. Check the path, or create it with &apos;branchdesk-admin db upgrade&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answered</source>
        <comment>complaint status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>complete checklists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>view customer data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reveal full personal data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Staff complained about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter complained about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facts and reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint deadlines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of the new facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received via</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complainant type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compliance status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account opening date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent covers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enterprise size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business licence expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone to remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relationship manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days without a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier scores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains a NUL character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a URL such as sqlite:///path/branchdesk.sqlite3 or postgresql://user@server/branchdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>letters, digits, &apos;.&apos; and &apos;_&apos; only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each business type at most once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs a time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be unique</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a positive whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a date (YYYY-MM-DD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a month (YYYY-MM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be one capital letter A–Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>17 digits followed by a digit or X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the check character does not match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>digits 7–14 are not a valid birth date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the birth date is impossible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no free booking code; try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>front, end or arrival</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>evaluator or teller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a supervisor must confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not be in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in the expected format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not one of the listed values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most {limit} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {limit} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minimum} to {maximum} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must have {length} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains control characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains invisible formatting characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains masked characters (*): type the full value or leave it unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a valid record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most {limit} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {limit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most {limit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minimum} to {maximum}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minimum} to {maximum} digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a date and time like 2026-11-24T10:30</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown time zone &apos;{zone}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minimum} to {maximum} minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the customer must agree to their data being kept for the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this record was merged into customer {into}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this account number is already on the record of customer {customer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the account is closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a valid unified social credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required when the database has no branch or several branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an individual and a corporate customer cannot be merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a complaint cannot be merged into itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be 0 &lt; decide ≤ extended ≤ maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must end in one of {extensions}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} does not pass the integrity check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the restored database fails the integrity check; the previous one is in {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the current key cannot be dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{variable} is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the data key file {path}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path}: the current key {key} is not in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{origin}: a key must be base64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{origin}: a key must be 32 bytes (base64 of 32 random bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data key: set {variable} or create {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value encrypted with key {key}, which this workstation does not hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a stored {column} failed authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid TOML: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a [template] table is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version must be a whole number of 1 or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least one [[step]] is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>business_type &apos;{business_type}&apos; is not a business type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} must be text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} must be a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} must be true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} must be one of {keywords}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown key &apos;{key}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a step must be a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>id must be lower-case letters, digits and _ (starting with a letter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>id is used by an earlier step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a choice step needs at least two options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only a choice step has options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only a number step has min and max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only a text step has a pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>birthday greeting</source>
        <comment>follow-up type</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medium</source>
        <comment>band</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each option needs value, zh and en</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>option values must be unique</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>min is greater than max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pattern is not a valid regular expression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format: only a text step may be a date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max_age_days needs format = &quot;date&quot; and a positive whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max_length must be {minimum} to {maximum}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when must be a table or a list of tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: name a fact or an input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: unknown fact &apos;{fact}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: input &apos;{input}&apos; is not an earlier step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: step {target} takes no input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: {value} is not an option of {target}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: {target} is a number; compare it with a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a rule must be a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left and right must name steps of this template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left and right must be two numbers or two choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>break</source>
        <comment>pause reason</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>meeting</source>
        <comment>pause reason</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cash handover</source>
        <comment>pause reason</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other</source>
        <comment>pause reason</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>follow-up visit</source>
        <comment>follow-up type</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>debit card</source>
        <comment>account type</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>credit card</source>
        <comment>account type</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>savings account</source>
        <comment>account type</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settlement account</source>
        <comment>account type</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high</source>
        <comment>band</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low</source>
        <comment>band</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>good</source>
        <comment>credit grade</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fair</source>
        <comment>credit grade</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>risk</source>
        <comment>credit grade or compliance</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compliant</source>
        <comment>compliance</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>watch</source>
        <comment>compliance</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name</source>
        <comment>personal data</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <comment>personal data</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phone</source>
        <comment>personal data</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account number</source>
        <comment>personal data</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customer name</source>
        <comment>personal data</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customer age</source>
        <comment>checklist fact</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a user of this branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an open complaint of this branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before the clock started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before the last pause ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before the pause began</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most {count} extensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minimum} to {maximum} capital letters or digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot be read ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a SQLite database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the integrity check failed ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the BranchDesk tables are missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no schema revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least one letter and one digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must differ from the current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8 digits then 10 digits or capital letters (no I, O, S, V, Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes or no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neither UTF-8 nor GBK text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more fields than the header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fewer fields than the header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown outcome &apos;{outcome}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rank of {business_type} must be a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a quote opened on this line is not closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line {line}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a customer cannot be merged into itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this customer was already merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resident ID or credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set on each workstation, not for the branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must rise: gold ≤ platinum ≤ diamond</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{kind}&apos; is not supported (sqlite or postgresql)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema revision {revision} is unknown to this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the audit log&apos;s protecting triggers are missing ({names})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the folder {folder} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prefix {prefix} has used all {count} numbers today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user {user} already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch {branch} already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>older than {days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing columns: {columns}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong (reference {ref}). The details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvaluatorWindow</name>
    <message>
        <source>Customer evaluator — {counter}</source>
        <extracomment>How long the thanks stay on screen before the welcome returns. How long the question waits for a customer who walks away without rating. What a read brings: the counter&apos;s newest unrated finish and the ticket now at the counter.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>We are glad to serve you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please rate our service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Have a nice day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {number}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldInputs</name>
    <message>
        <source>18-character resident ID number</source>
        <extracomment>Dates read the same in both languages and cannot be misread (the English locale&apos;s short format is 12/9/26: the 9th of December or the 12th of September?). 18 characters: 17 digits and a digit or X (lower case x is taken and stored upper case). Digits and what people write between them: +86 138-1234 1234, (010) 6512 3456. The unified social credit code: 18 digits and capital letters.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile, or landline with area code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>18-character unified social credit code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FinishDialog</name>
    <message>
        <source>Finish service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish serving {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was done, what is missing, what was agreed…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note is limited to {count} characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <source>Arrivals and customers served per hour</source>
        <extracomment>Category labels shrink to this size (pixels) before Qt would cut them to &quot;5…&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrivals today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usual arrivals (same weekday)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usually served (same weekday)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling after the current batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported {imported}, rejected {rejected}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasons are in {file}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskScreens</name>
    <message>
        <source>Ticket kiosk — {branch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please choose your service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Touch a service to take a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aged {age} and over? Enter your ID number for priority service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Have a booking? Check in here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>18-character ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your resident ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers aged {age} and over are served through the green channel. The number is used only to issue this ticket and is not shown on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6-digit booking code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your booking code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You received the code when you booked. Checking in on time gives you priority.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>This kiosk is not signed in. Please ask our staff for a ticket.</source>
        <extracomment>A ticket was issued (TicketView). The slip of the last ticket was sent to the printer (True) or could not be printed (False).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please check the ID number and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority service is for customers aged {age} and over. Please choose your service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID {masked}: priority service. Please choose your service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A booking code has 6 digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A ticket could not be issued. Please ask our staff. {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green channel: priority service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booking checked in: priority service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please watch the calling display.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are next. Please watch the calling display.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People ahead of you: {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated wait: about {minutes} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your ticket could not be printed. Please remember your number {number}, or ask our staff.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please take your ticket below.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>VIP Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VIP Platinum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VIP Diamond</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <extracomment>Badge colours: green channel green, appointments blue, VIP tiers gold.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partially completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referred elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Break</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By original arrival time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the front of the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the end of the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {number}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of BranchDesk on this workstation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>&lt;h2&gt;Workstation locked&lt;/h2&gt;&lt;p&gt;Signed in: {name}&lt;/p&gt;</source>
        <extracomment>Workstation roles that never lock: public screens on which nobody is signed in.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;witch user</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>BranchDesk — sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>The database could not be opened: {error}
Details are in {log}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No branch is set up for this workstation. Start with --demo, or create one with &apos;branchdesk-admin branch add&apos; and set the branch in the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BranchDesk ended abnormally last time (after {time}); details are in {log}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>BranchDesk — {branch}</source>
        <extracomment>&quot;Switch user&quot; was chosen (File menu or lock screen); the session closes this window.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lobby manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wealth manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setup &amp;wizard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;witch user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About BranchDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer &amp;evaluator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lobby &amp;dashboard (full screen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Book &amp;appointment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Counter services…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch &amp;reports…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist &amp;templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit &amp;log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch &amp;settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset password or unlock…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About BranchDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BranchDesk {version}
Queue, customers, checklists and complaints for bank branches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Not connected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MaskedValue</name>
    <message>
        <source>Reveal…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>masked again in {seconds} s</source>
        <extracomment>Counts the seconds until the value is masked again, shown beside it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatrixEditor</name>
    <message>
        <source>Counter services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank 0 is called first. Business types with the same rank are called together, by priority and then arrival. Changes apply from the counter&apos;s next call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the changes to the previous counter first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This counter will only call tickets transferred to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. Counter {counter} uses this from its next call.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Duplicate records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same ID number</source>
        <extracomment>After a merge: the record kept.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same name and phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No other record has this ID number, or this name and one of these phones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The other record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the other record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why these are one customer (kept in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have checked both records: the merge cannot be undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records that may be the same customer as {name}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge record {drop} into record {keep}? Its visits, notes, accounts, follow-ups and complaints move to record {keep}, and record {drop} is closed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge for good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phones:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParkedBox</name>
    <message>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Called at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No parked tickets.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <source>Pause counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause {counter}: no tickets are called here until you resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. back at 14:30</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Print preview — {title}</source>
        <extracomment>A slip is narrow: show it at a readable fixed zoom instead of stretching it to the window. Emitted with each print job this dialog starts.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page {current} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The document could not be displayed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing page {done} of {total}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be saved:
{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewBox</name>
    <message>
        <source>Next at this counter (F1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waited (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Est. wait (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call selected ticket…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrintJob</name>
    <message>
        <source>The document to print could not be read.</source>
        <extracomment>Rendering resolution cap: thermal heads are 203 dpi, and 300 dpi text is crisp on a laser while an A4 page stays ~35 MB in memory (1200 dpi would be ~550 MB).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer refused a new page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A page could not be rendered for printing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing failed because of an unexpected error; see the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer “{name}” is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No printer is installed on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrinterSettingsWidget</name>
    <message>
        <source>{width} mm</source>
        <extracomment>Item data of the &quot;System default&quot; entry (PrinterChoice stores &quot;&quot; for it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket slip printer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slip paper width:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A4 printer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (not available)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrintersPage</name>
    <message>
        <source>Printers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket slips go to the slip printer; forms and letters to the A4 printer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileView</name>
    <message>
        <source>Change record…</source>
        <extracomment>Show another customer&apos;s profile (the record kept by a merge).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relationship manager…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts and cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits (newest first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: region code not in the reference list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Industry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enterprise size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business licence expires:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relationship manager:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due {due} (last {last})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Periodic review:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>given on {day}: {covers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklists done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved: {fields}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records merged into record {id}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review recorded; the next is due on {due}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phone number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePane</name>
    <message>
        <source>Issue a ticket</source>
        <extracomment>The waiting minutes shown in the list grow with time, not only with events. The list&apos;s column computed from the clock.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print slip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview slip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Book appointment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: {ahead} ahead, served shortly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket slip {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing failed: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: {ahead} ahead, about {minutes} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket {number} issued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} waiting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RatingBox</name>
    <message>
        <source>Customer&apos;s rating</source>
        <extracomment>Best to worst: green to red, so the colour says what the words say.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the customer does not use the evaluator, enter their rating for {number}:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason is recorded with the ticket&apos;s history.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Branch reports</source>
        <extracomment>(format, bytes) of each report produced</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly report (month of the date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf);;CSV (*.csv);;Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be saved: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be created: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset password or unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password of {user} was reset; the account is unlocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} is unlocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} was not locked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <source>Reveal: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why do you need the full {what}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why do you need the full value?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name, the time and the reason are written to the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Periodic review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update what changed with Change record… first; the review records what was checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Queue and calling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calling display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lobby dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in and passwords</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting-time alert after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal tickets no longer passed over after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recalls before a no-show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight of the newest service in the average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green channel from the age of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check-in allowed before the slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check-in allowed after the slot starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scrolling notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notice on ticket slips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank name on slips and letters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert at this many waiting per open counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight as due soon within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passwords in a row before lockout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold tier from a score of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platinum tier from a score of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diamond tier from a score of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weeks averaged for the usual day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadline after the first extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest deadline (second extension)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period to ask for a review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference number prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a locked account locked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum password length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords need a letter and a digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock an idle workstation after (0: never)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show revealed data for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review customer records every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> recalls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set for the branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this workstation&apos;s file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment variable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>BranchDesk setup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings are saved. Changes to the language, database or branch take effect when BranchDesk starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test the connection to the database first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The branch code must be 1 to 32 characters without spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the branch name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bank&apos;s name may have at most {max} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what this workstation is used for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The counter number must be between 1 and {counters}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The slip width must be one of {widths} mm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the supervisor&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password needs at least {min} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the bank&apos;s name as customers see it on slips and letters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A branch must have 1 to {max} counters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user name may contain only letters, digits, &apos;.&apos; and &apos;_&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passwords do not match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password needs letters and digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a language.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version} at {host}, database {database}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a valid database URL. Write it as postgresql://user:password@server:5432/database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only PostgreSQL is supported for a shared database (the URL names {detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server name {host} is not known. Check the spelling, or use its IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing answers at {host} port {port}. Check that PostgreSQL runs there and accepts connections from this computer (listen_addresses, firewall).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{host} port {port} did not answer in time. Check the address and the firewall.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server has no database {database}. Ask the administrator to create it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StartupScreen</name>
    <message>
        <source>Connecting to the database…</source>
        <extracomment>Roles whose monitor shows the public or lobby window full screen.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Recorded in the complaint&apos;s history with your name and the time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StepEditor</name>
    <message>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor override…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No steps left to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule: {rule}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original document seen and checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer signed on paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date, e.g. 2026-03-01</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor confirms…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes to the language, database or branch take effect when BranchDesk starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counter {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click Finish to set up the database and save these settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lobby manager&apos;s desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>calling display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ticket kiosk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lobby dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language: {language}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local, {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch: {code} {name} (existing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch: {code} {name} (new; counters: {counters})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank name: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workstation: {role}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slip printer: {printer}, {width} mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A4 printer: {printer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First supervisor: {username} ({name})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setup failed; the settings were not saved. {error}
{reference}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>e.g. ID card reader out of order, identity checked by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor user name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The supervisor, the reason and the time are recorded in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorPage</name>
    <message>
        <source>First supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has no users yet. This account signs in first and creates the others.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least {min} characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TellerConsole</name>
    <message>
        <source>Not connected to the database: calling and serving are paused until the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Called {number} to counter {counter}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} transferred: {ahead} ahead, served shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} transferred: {ahead} ahead, about {minutes} min.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} is open again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {counter} is paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a ticket in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rating for {number} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} called again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serving {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} marked a no-show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is back in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} parked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call or finish a ticket first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service receipt {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not possible while the database is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <source>Checklist templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business type</source>
        <extracomment>A template belongs to a business type: shown by its name (个人开户), not its code.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open template file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a template file to see how it differs from the active version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes from the active version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open checklist template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist templates (*.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} cannot be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import {business} version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{business} version {version} imported; new checklists use it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketCard</name>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minutes} min {seconds:02d} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No ticket at this counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press F1 to call the next customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The counter is not open: press F6 to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serving since {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Called at {time} ({count}×)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer {number} to another business type or counter. The customer keeps the number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same business type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any counter serving it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place in queue:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. needs a wealth adviser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another business type, a counter, or both.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WaitChart</name>
    <message>
        <source>Waiting time today (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkstationPage</name>
    <message>
        <source>This workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What this computer is used for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lobby manager&apos;s desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teller counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calling display (big screen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lobby dashboard (big screen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter number:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
