<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
        <source>Mobile, or landline with area code</source>
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
        <source>Booked that day</source>
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
        <source>{name}, {phone} — {business}, {day} {start}–{end}</source>
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
        <source>Branch {code} is already in the database; its name and counters are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new branch is created.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallingDisplay</name>
    <message>
        <source>Calling display — {branch}</source>
        <extracomment>Calls found on catching up after an outage are listed, but only announced when this fresh: a customer called ten minutes ago has already been served or marked a no-show. Page size when reading the calls feed; a longer backlog is read page by page. A new call was shown (CallNotice). The board switched between live (True) and &quot;Not connected&quot; (False).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue calling</source>
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
        <source>Voice calls unavailable: chime only</source>
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
        <source>Birthday care</source>
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
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <source>Name, ID number, phone, card or account number, credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
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
        <source>Import customers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-ups due</source>
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
        <source>Local database on this PC (one workstation)</source>
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
        <source>Appointment {booking} is for {day}.</source>
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
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
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
        <source>1 to 100 characters</source>
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
        <source>Unified social credit code</source>
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
        <source>Legal representative</source>
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
        <source>letters, digits, &apos;.&apos; and &apos;_&apos; only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to 32 characters</source>
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
        <source>5 to 240 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to 5</source>
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
        <source>must be one capital letter A–Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must have 18 characters</source>
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
        <source>a date as YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more fields than the header</source>
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
        <source>an individual and a company cannot be merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains control characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resident ID or credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>10 to 30 digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {count} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most {count} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown outcome {outcome}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown time zone {zone}</source>
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
        <source>missing columns: {columns}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line {line}: {problem}</source>
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
        <extracomment>How long the thanks stay on screen before the welcome returns. How long the question waits for a customer who walks away without rating.</extracomment>
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
    <name>FinishDialog</name>
    <message>
        <source>Finish service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish the service of {number}.</source>
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
    <name>KioskWindow</name>
    <message>
        <source>Ticket kiosk — {branch}</source>
        <extracomment>A ticket was issued (TicketView). The slip of the last ticket was sent to the printer (True) or could not be printed (False).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This kiosk is not signed in. Please ask our staff for a ticket.</source>
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
        <source>Aged {age} or over? Enter your ID number for priority service</source>
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
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>BranchDesk — {branch}</source>
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
        <source>Customers</source>
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
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setup &amp;wizard…</source>
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
        <source>Saved. Counter {counter} follows it from its next call.</source>
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
        <source>Page {current} / {total}</source>
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
        <source>Saved to {path}</source>
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
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
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
        <source>Day</source>
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
        <source>Visits (today first)</source>
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
        <source>Consent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>given on {day}</source>
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
        <source>Reveal</source>
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
    <name>QueuePane</name>
    <message>
        <source>Issue a ticket</source>
        <extracomment>The waiting minutes shown in the list grow with time, not only with events.</extracomment>
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
        <source>A branch has 1 to {max} counters.</source>
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
        <source>The user name may hold only letters, digits, &apos;.&apos; and &apos;_&apos;.</source>
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
        <source>The two passwords differ.</source>
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
        <source>Nothing answers at {host} port {port}. Check that PostgreSQL runs there and accepts connections from this PC (listen_addresses, firewall).</source>
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
    <name>SummaryPage</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish sets up the database and saves these settings.</source>
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
        <source>lobby desk</source>
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
        <source>Branch: {code} {name} (new, {counters} counters)</source>
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
        <source>Password again:</source>
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
        <source>Counter:</source>
        <translation type="unfinished"></translation>
    </message>
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
        <source>Customer&apos;s rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please {number} to counter {counter}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is waiting.</source>
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
        <source>Put back in queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put {number} back in the queue at its place.</source>
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
        <source>{number} resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a ticket in the list first.</source>
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
    <message>
        <source>Rating for {number} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service receipt {number}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the customer does not use the evaluator, enter their rating of {number}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service receipt {number}</source>
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
        <source>No counter selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} — {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketCard</name>
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
        <source>Transfer {number} to another service or counter. The customer keeps the number.</source>
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
    <name>WorkstationPage</name>
    <message>
        <source>This workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What this PC is used for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter (teller window)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lobby manager&apos;s desk</source>
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
        <source>Counter number:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
