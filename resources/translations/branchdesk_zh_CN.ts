<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountsBox</name>
    <message>
        <source>Type</source>
        <extracomment>An account was added, changed or closed: the profile is read again.</extracomment>
        <translation>类型</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开立日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{status} {day}: {reason}</source>
        <translation>{status}（{day}）：{reason}</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>新增账户…</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>设置状态</translation>
    </message>
    <message>
        <source>Close account…</source>
        <translation>销户…</translation>
    </message>
    <message>
        <source>Account added.</source>
        <translation>已新增账户。</translation>
    </message>
    <message>
        <source>{account}: {status}.</source>
        <translation>{account}：{status}。</translation>
    </message>
    <message>
        <source>Close account</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>Close {account} for good?</source>
        <translation>确定将 {account} 销户？</translation>
    </message>
    <message>
        <source>The customer's reason</source>
        <translation>客户的销户原因</translation>
    </message>
    <message>
        <source>A closed account stays on the record with the day and the reason.</source>
        <translation>销户后账户仍保留在客户资料中，并记录销户日期和原因。</translation>
    </message>
    <message>
        <source>{account} closed.</source>
        <translation>{account} 已销户。</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <source>Add account</source>
        <translation>新增账户</translation>
    </message>
    <message>
        <source>A new account or card</source>
        <translation>新开账户或卡片</translation>
    </message>
    <message>
        <source>Number:</source>
        <translation>号码：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Opened on:</source>
        <translation>开立日期：</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>新增</translation>
    </message>
</context>
<context>
    <name>Announcer</name>
    <message>
        <source>Spoken calls are not available on this computer ({reason}); calls are shown with a chime instead.</source>
        <extracomment>Environment variable naming the Qt text-to-speech engine ("mock" in the tests). Pause between two utterances, so "…办理业务。请 A024 号…" does not run together. An utterance that has not finished after this long is stopped: the queue never stalls. How long an engine may take to start before the chime is used instead. Once, with a sentence for the admin, when calls are chimed instead of spoken. An utterance (the text) or a chime ("") has started. Everything queued has been said.</extracomment>
        <translation>本机无法语音叫号（{reason}），改为提示音加闪烁提示。</translation>
    </message>
    <message>
        <source>The text-to-speech engine could not start ({reason}); calls are shown with a chime instead.</source>
        <translation>语音合成引擎无法启动（{reason}），改为提示音加闪烁提示。</translation>
    </message>
    <message>
        <source>No Chinese text-to-speech voice is installed, so calls cannot be spoken; the display plays a chime and flashes each call instead. Install a Chinese voice on this computer to hear the numbers.</source>
        <translation>本机未安装中文语音，无法语音叫号；叫号屏改为播放提示音并闪烁显示。请在本机安装中文语音以播报号码。</translation>
    </message>
    <message>
        <source>No English text-to-speech voice is installed, so calls cannot be spoken; the display plays a chime and flashes each call instead.</source>
        <translation>本机未安装英文语音，无法语音叫号；叫号屏改为播放提示音并闪烁显示。</translation>
    </message>
    <message>
        <source>The text-to-speech engine failed ({reason}); calls are shown with a chime instead.</source>
        <translation>语音合成引擎出错（{reason}），改为提示音加闪烁提示。</translation>
    </message>
    <message>
        <source>The text-to-speech engine did not start; calls are shown with a chime instead.</source>
        <translation>语音合成引擎未能启动，改为提示音加闪烁提示。</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <source>Book an appointment</source>
        <extracomment>Bookable slots: half-hour slots from the first to the last start time of the day. How far ahead the desk books.</extracomment>
        <translation>预约登记</translation>
    </message>
    <message>
        <source>Business type:</source>
        <translation>业务类型：</translation>
    </message>
    <message>
        <source>Customer name:</source>
        <translation>客户姓名：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>联系电话：</translation>
    </message>
    <message>
        <source>Date and time:</source>
        <translation>预约时间：</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Booking code — the customer enters it at the kiosk on arrival:</source>
        <translation>预约码（客户到店后在取号机上输入）：</translation>
    </message>
    <message>
        <source>Bookings that day</source>
        <translation>当日预约</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>预约码</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Show phone…</source>
        <translation>显示电话…</translation>
    </message>
    <message>
        <source>Show the selected customer's full phone number, to call them</source>
        <translation>显示所选客户的完整电话号码，以便致电客户</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>No free slot left that day</source>
        <translation>当日已约满</translation>
    </message>
    <message>
        <source>{name} ({code}): {phone}</source>
        <translation>{name}（{code}）：{phone}</translation>
    </message>
    <message>
        <source>{name}, {phone} — {business}, {day} {start}–{end}</source>
        <translation>{name}，{phone} — {business}，{day} {start}–{end}</translation>
    </message>
</context>
<context>
    <name>ArrivalsBox</name>
    <message>
        <source>My customers in the branch now</source>
        <extracomment>Waiting minutes grow without any change: read again this often. A customer who was not here at the last read has arrived (their ticket id). A customer of the list was chosen: open their profile.</extracomment>
        <translation>我的客户已到网点</translation>
    </message>
    <message>
        <source>Customers with a manager in the branch now</source>
        <translation>有客户经理的客户已到网点</translation>
    </message>
    <message>
        <source>{tier} {name} arrived, {ticket}, waiting {minutes} min</source>
        <translation>{tier}客户 {name} 已到，{ticket}，已等 {minutes} 分钟</translation>
    </message>
    <message>
        <source> — {manager}</source>
        <translation> — {manager}</translation>
    </message>
</context>
<context>
    <name>AssignManagerDialog</name>
    <message>
        <source>Relationship manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Who looks after {name}?</source>
        <translation>由谁负责 {name}？</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Manager:</source>
        <translation>客户经理：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>账户锁定</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Account unlocked</source>
        <translation>账户解锁</translation>
    </message>
    <message>
        <source>Refused: no permission</source>
        <translation>无权限被拒绝</translation>
    </message>
    <message>
        <source>Full value shown</source>
        <translation>查看完整信息</translation>
    </message>
    <message>
        <source>Supervisor override</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import batch</source>
        <translation>导入批次</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Customers merged</source>
        <translation>客户合并</translation>
    </message>
    <message>
        <source>Customer registered</source>
        <translation>登记客户</translation>
    </message>
    <message>
        <source>Customer record changed</source>
        <translation>修改客户资料</translation>
    </message>
    <message>
        <source>Tiers recomputed</source>
        <translation>重新评定客户等级</translation>
    </message>
    <message>
        <source>Periodic review</source>
        <translation>定期复核</translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation>设置已更改</translation>
    </message>
    <message>
        <source>Counter services changed</source>
        <translation>窗口业务已更改</translation>
    </message>
    <message>
        <source>Checklist template imported</source>
        <translation>导入核对模板</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>User changed</source>
        <translation>用户已更改</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Data key rotated</source>
        <translation>数据密钥轮换</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>业务核对</translation>
    </message>
    <message>
        <source>Checklist template</source>
        <translation>核对模板</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Complaint analysis</source>
        <translation>投诉分析</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Data key</source>
        <translation>数据密钥</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号票</translation>
    </message>
    <message>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <source>branches</source>
        <translation>网点</translation>
    </message>
    <message>
        <source>all branches</source>
        <translation>全部网点</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>via</source>
        <translation>途径</translation>
    </message>
    <message>
        <source>failed attempts</source>
        <translation>失败次数</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>was locked</source>
        <translation>曾锁定</translation>
    </message>
    <message>
        <source>format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>complaints</source>
        <translation>投诉数</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>previous copy</source>
        <translation>原文件副本</translation>
    </message>
    <message>
        <source>field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>item</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>moved</source>
        <translation>转移</translation>
    </message>
    <message>
        <source>import run</source>
        <translation>批次号</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>已脱敏</translation>
    </message>
    <message>
        <source>ticket</source>
        <translation>号票</translation>
    </message>
    <message>
        <source>teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>permission</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>before</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>after</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>services</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>business type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>moved up</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>moved down</source>
        <translation>降级</translation>
    </message>
    <message>
        <source>scores recomputed</source>
        <translation>重算评分</translation>
    </message>
    <message>
        <source>manager (user)</source>
        <translation>客户经理（用户）</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>segment</source>
        <translation>客户分群</translation>
    </message>
    <message>
        <source>next due</source>
        <translation>下次复核</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>unknown user</source>
        <translation>用户不存在</translation>
    </message>
    <message>
        <source>account inactive</source>
        <translation>账户已停用</translation>
    </message>
    <message>
        <source>account locked</source>
        <translation>账户已锁定</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>sign-in window</source>
        <translation>登录窗口</translation>
    </message>
    <message>
        <source>admin command</source>
        <translation>管理命令</translation>
    </message>
    <message>
        <source>lock screen</source>
        <translation>锁屏</translation>
    </message>
    <message>
        <source>own password</source>
        <translation>本人密码</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>business licence</source>
        <translation>营业执照</translation>
    </message>
    <message>
        <source>individual</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>corporate</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation>安全审计日志</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>全部用户</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <extracomment>Today in the branch's time zone (the filter's days are the branch's days).</extracomment>
        <translation>查询(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>起始日期：</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>截止日期：</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Showing the newest {count} entries; narrow the filter to see older ones.</source>
        <translation>仅显示最新的 {count} 条记录；如需查看更早的记录，请缩小筛选范围。</translation>
    </message>
    <message>
        <source>Entries: {count}</source>
        <translation>共 {count} 条记录</translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The file could not be written: {error}</source>
        <translation>文件无法写入：{error}</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>已导出至 {path}。</translation>
    </message>
</context>
<context>
    <name>BindingCheck</name>
    <message>
        <source>BranchDesk cannot run on this computer's Qt binding: PySide6 {pyside} on Python {python} loses object references on every screen update and would stop within minutes. Install the version BranchDesk is tested with (pip install "PySide6&lt;6.12"), use Python 3.12 or newer, or use BranchDesk's installation package.</source>
        <translation>BranchDesk 无法在本机的 Qt 绑定上运行：Python {python} 上的 PySide6 {pyside} 每次刷新界面都会丢失对象引用，几分钟内就会异常退出。请安装 BranchDesk 经过测试的版本（pip install "PySide6&lt;6.12"），或改用 Python 3.12 及以上版本，或使用 BranchDesk 的安装包。</translation>
    </message>
</context>
<context>
    <name>BranchPage</name>
    <message>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <source>The branch this workstation belongs to. A new branch is created with its counters.</source>
        <translation>本工作站所属网点。新网点将连同其窗口一并创建。</translation>
    </message>
    <message>
        <source>Branch code:</source>
        <translation>网点代码：</translation>
    </message>
    <message>
        <source>Branch name:</source>
        <translation>网点名称：</translation>
    </message>
    <message>
        <source>Counters:</source>
        <translation>窗口数：</translation>
    </message>
    <message>
        <source>Bank name:</source>
        <translation>银行名称：</translation>
    </message>
    <message>
        <source>As shown to customers on slips and letters</source>
        <translation>客户在号票和函件上看到的名称</translation>
    </message>
    <message>
        <source>Branch {code} is already in the database; its names and counters are kept.</source>
        <translation>网点 {code} 已在数据库中，沿用其名称和窗口。</translation>
    </message>
    <message>
        <source>A new branch is created.</source>
        <translation>将创建新网点。</translation>
    </message>
</context>
<context>
    <name>BranchSettingsDialog</name>
    <message>
        <source>Branch settings — {branch}</source>
        <extracomment>Errors about a rule between settings name the group; the dialog then shows its first member.</extracomment>
        <translation>网点参数 — {branch}</translation>
    </message>
    <message>
        <source>These values are the same on every workstation of the branch. Each workstation uses the saved values from its next sign-in.</source>
        <translation>以下参数在本网点所有工作站统一生效。各工作站在下次登录时启用保存后的参数。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>Branch settings saved: {count}. Each workstation uses them from its next sign-in.</source>
        <translation>已为本网点保存 {count} 项参数，各工作站下次登录时生效。</translation>
    </message>
</context>
<context>
    <name>CallBoard</name>
    <message>
        <source>Calling display — {branch}</source>
        <extracomment>The smallest type a tile name shrinks to so that its longest word fits (pixels). The calls shown, newest first (at most the history size). False: the board says "not connected" and blanks the calls rather than show stale ones. The tickets shown that are still called or being served: only such a ticket is the hero's "now calling" (never one finished or marked a no-show meanwhile).</extracomment>
        <translation>叫号屏 — {branch}</translation>
    </message>
    <message>
        <source>Queue information</source>
        <translation>排队叫号</translation>
    </message>
    <message>
        <source>Not connected to the queue system — calls are paused. Please ask our staff for help.</source>
        <translation>叫号系统连接中断，暂停叫号。如需帮助请咨询大堂工作人员。</translation>
    </message>
    <message>
        <source>Now calling</source>
        <translation>正在呼叫</translation>
    </message>
    <message>
        <source>Customers waiting</source>
        <translation>等候人数</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>最近呼叫</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Counter {counter}</source>
        <translation>{counter}号窗口</translation>
    </message>
    <message>
        <source>Please wait for your number to be called</source>
        <translation>请留意叫号</translation>
    </message>
    <message>
        <source>Calls are paused</source>
        <translation>暂停叫号</translation>
    </message>
    <message>
        <source>Please go to</source>
        <translation>请到</translation>
    </message>
</context>
<context>
    <name>CallingDisplay</name>
    <message>
        <source>Spoken calls unavailable: chime only</source>
        <extracomment>How often the branch's notice is re-read (see check_notice). Calls found on catching up after an outage are listed, but only announced when this fresh: a customer called ten minutes ago has already been served or marked a no-show. Page size when reading the calls feed; a longer backlog is read page by page. A new call was shown (CallNotice). The board switched between live (True) and "Not connected" (False).</extracomment>
        <translation>语音播报不可用，仅提示音</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Confirm new password</source>
        <translation>确认新密码</translation>
    </message>
    <message>
        <source>The new passwords do not match.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>At least {min} characters, with letters and digits.</source>
        <translation>至少 {min} 个字符，须同时包含字母和数字。</translation>
    </message>
    <message>
        <source>At least {min} characters.</source>
        <translation>至少 {min} 个字符。</translation>
    </message>
</context>
<context>
    <name>ChecklistPane</name>
    <message>
        <source>unknown</source>
        <extracomment>What a read brings: the ticket at the counter and its run (each None when there is none).</extracomment>
        <translation>未知</translation>
    </message>
    <message>
        <source>Customer's age, from the ID; steps for customers 65 or older are added when it is unknown.</source>
        <translation>客户年龄（以证件为准）；未知时按65周岁以上客户增加核对事项。</translation>
    </message>
    <message>
        <source>Start checklist</source>
        <translation>开始核对</translation>
    </message>
    <message>
        <source>Customer age:</source>
        <translation>客户年龄：</translation>
    </message>
    <message>
        <source>%v of %m steps</source>
        <translation>%v / %m 项</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>核对事项</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必做/选做</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必做</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>选做</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Supervisor override for all open steps…</source>
        <translation>主管授权免做全部未完成事项…</translation>
    </message>
    <message>
        <source>Print record…</source>
        <translation>打印核对单…</translation>
    </message>
    <message>
        <source>Blank paper form…</source>
        <translation>空白纸质核对单…</translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation>✓ 已完成</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>overridden</source>
        <translation>主管授权免做</translation>
    </message>
    <message>
        <source>does not apply</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>▶ next</source>
        <translation>▶ 当前</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>原因：{reason}</translation>
    </message>
    <message>
        <source>by {supervisor}: {reason}</source>
        <translation>授权主管 {supervisor}：{reason}</translation>
    </message>
    <message>
        <source>confirmed by {supervisor}</source>
        <translation>主管 {supervisor} 已确认</translation>
    </message>
    <message>
        <source>No ticket at this counter.</source>
        <translation>本窗口当前没有客户。</translation>
    </message>
    <message>
        <source>Checklist for {number} started.</source>
        <translation>{number} 的业务核对已开始。</translation>
    </message>
    <message>
        <source>Supervisor confirmation</source>
        <translation>主管确认</translation>
    </message>
    <message>
        <source>A supervisor must confirm: {step}</source>
        <translation>须主管现场确认：{step}</translation>
    </message>
    <message>
        <source>Override all open required steps ({count}) so the ticket can be finished.</source>
        <translation>主管授权免做全部 {count} 项未完成的必做事项，以便结束办理。</translation>
    </message>
    <message>
        <source>No required steps are open: the ticket can be finished.</source>
        <translation>必做事项均已处理，可以结束办理。</translation>
    </message>
    <message>
        <source>Skip step</source>
        <translation>跳过事项</translation>
    </message>
    <message>
        <source>Skip “{step}”. Why?</source>
        <translation>跳过“{step}”，原因是？</translation>
    </message>
    <message>
        <source>e.g. customer declined</source>
        <translation>例如：客户不需要</translation>
    </message>
    <message>
        <source>Override the required step “{step}”.</source>
        <translation>主管授权免做必做事项“{step}”。</translation>
    </message>
    <message>
        <source>Supervisor override</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <source>Override recorded.</source>
        <translation>主管授权已记录。</translation>
    </message>
    <message>
        <source>Checklist {number}</source>
        <translation>业务核对单 {number}</translation>
    </message>
    <message>
        <source>Blank checklist form</source>
        <translation>空白业务核对单</translation>
    </message>
    <message>
        <source>No ticket at this counter</source>
        <translation>本窗口当前没有客户</translation>
    </message>
    <message>
        <source>{number} · {business} — no checklist started</source>
        <translation>{number} · {business} — 尚未开始核对</translation>
    </message>
    <message>
        <source>{number} · {title} (version {version})</source>
        <translation>{number} · {title}（第 {version} 版）</translation>
    </message>
    <message>
        <source>Finishing is blocked by {count} required step(s): {steps}</source>
        <translation>尚有 {count} 项必做事项未完成，不能结束办理：{steps}</translation>
    </message>
</context>
<context>
    <name>ComplaintDetail</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原状态</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新状态</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Complete draft…</source>
        <translation>完善草稿…</translation>
    </message>
    <message>
        <source>Acknowledgement…</source>
        <translation>受理回执…</translation>
    </message>
    <message>
        <source>Reply letter…</source>
        <translation>答复书…</translation>
    </message>
    <message>
        <source>Select a complaint to see its history.</source>
        <translation>选择一条投诉以查看处理记录。</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Not satisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>{reference} — {state}</source>
        <translation>{reference} — {state}</translation>
    </message>
    <message>
        <source>Draft #{id}</source>
        <translation>草稿 #{id}</translation>
    </message>
    <message>
        <source>Received {received}, due {due}; first contact {owner}, handler {handler}</source>
        <translation>受理日期 {received}，到期日 {due}；首问责任人 {owner}，处理人 {handler}</translation>
    </message>
    <message>
        <source>Facts and reasons: {text}</source>
        <translation>事实与理由：{text}</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Request: {text}</source>
        <translation>投诉请求：{text}</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>Ticket: {number}</source>
        <translation>排队号：{number}</translation>
    </message>
    <message>
        <source>Decision: {text}</source>
        <translation>处理决定：{text}</translation>
    </message>
</context>
<context>
    <name>ComplaintEntryDialog</name>
    <message>
        <source>Record complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <source>One document per line, e.g. copy of ID card</source>
        <translation>每行一份材料，例如：身份证复印件</translation>
    </message>
    <message>
        <source>Classification (JR/T 0169-2018)</source>
        <translation>投诉分类（JR/T 0169-2018）</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>投诉渠道：</translation>
    </message>
    <message>
        <source>Received via:</source>
        <translation>受理方式：</translation>
    </message>
    <message>
        <source>Business:</source>
        <translation>业务类别：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>投诉原因：</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>问题类型：</translation>
    </message>
    <message>
        <source>Severity:</source>
        <translation>严重程度：</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>投诉人类型：</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>证件号码：</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系方式：</translation>
    </message>
    <message>
        <source>Organisation:</source>
        <translation>单位名称：</translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation>法定代表人：</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>代理人：</translation>
    </message>
    <message>
        <source>Agent contact:</source>
        <translation>代理人联系方式：</translation>
    </message>
    <message>
        <source>Authorisation:</source>
        <translation>授权委托材料：</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Counter complained about:</source>
        <translation>被投诉窗口：</translation>
    </message>
    <message>
        <source>Staff complained about:</source>
        <translation>被投诉人员：</translation>
    </message>
    <message>
        <source>Unified social credit code:</source>
        <translation>统一社会信用代码：</translation>
    </message>
    <message>
        <source>Subject details:</source>
        <translation>被投诉对象说明：</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>投诉请求：</translation>
    </message>
    <message>
        <source>Facts and reasons:</source>
        <translation>事实与理由：</translation>
    </message>
    <message>
        <source>Documents received:</source>
        <translation>收到的材料：</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交受理</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Fill in the marked fields ({count}).</source>
        <translation>请填写标出的 {count} 项。</translation>
    </message>
    <message>
        <source>Draft saved.</source>
        <translation>草稿已保存。</translation>
    </message>
</context>
<context>
    <name>ComplaintPersonal</name>
    <message>
        <source>Complainant:</source>
        <extracomment>(field, grid row, grid column) of each personal value shown.</extracomment>
        <translation>投诉人：</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>证件号码：</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系方式：</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>代理人：</translation>
    </message>
    <message>
        <source>Agent contact:</source>
        <translation>代理人联系方式：</translation>
    </message>
    <message>
        <source>Organisation:</source>
        <translation>单位名称：</translation>
    </message>
</context>
<context>
    <name>Complaints</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>调查中</translation>
    </message>
    <message>
        <source>Extended</source>
        <translation>已延期</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>已作出决定</translation>
    </message>
    <message>
        <source>Reply sent</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Review requested</source>
        <translation>申请复核</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交受理</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Investigate</source>
        <translation>开始调查</translation>
    </message>
    <message>
        <source>Extend deadline</source>
        <translation>延长处理期限</translation>
    </message>
    <message>
        <source>Pause for appraisal</source>
        <translation>暂停（外部鉴定）</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复计时</translation>
    </message>
    <message>
        <source>New facts</source>
        <translation>新的事实和理由</translation>
    </message>
    <message>
        <source>Assign handler</source>
        <translation>指派处理人</translation>
    </message>
    <message>
        <source>Decide</source>
        <translation>作出处理决定</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>答复投诉人</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Merge into…</source>
        <translation>合并至…</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Reason for the extension:</source>
        <translation>延期理由：</translation>
    </message>
    <message>
        <source>Appraisal awaited:</source>
        <translation>等待的外部鉴定：</translation>
    </message>
    <message>
        <source>New facts:</source>
        <translation>新的事实和理由：</translation>
    </message>
    <message>
        <source>Handler:</source>
        <translation>处理人：</translation>
    </message>
    <message>
        <source>Findings and decision:</source>
        <translation>调查情况及处理决定：</translation>
    </message>
    <message>
        <source>Reply given:</source>
        <translation>答复内容：</translation>
    </message>
    <message>
        <source>Reply method:</source>
        <translation>答复方式：</translation>
    </message>
    <message>
        <source>Complainant's view:</source>
        <translation>投诉人：</translation>
    </message>
    <message>
        <source>Review request:</source>
        <translation>复核申请：</translation>
    </message>
    <message>
        <source>Reason for withdrawal:</source>
        <translation>撤回原因：</translation>
    </message>
    <message>
        <source>Merge into:</source>
        <translation>合并至：</translation>
    </message>
</context>
<context>
    <name>ComplaintsPane</name>
    <message>
        <source>New complaint…</source>
        <extracomment>What a read of the pane brings: the list, the complaint the read was made for (its id, None) and that complaint's detail (None when nothing was selected or it left the list).</extracomment>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due within 3 days</source>
        <translation>3日内到期</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All handlers</source>
        <translation>全部处理人</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>受理编号</translation>
    </message>
    <message>
        <source>Draft #{id}</source>
        <translation>草稿 #{id}</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source> (paused)</source>
        <translation>（暂停计时）</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>投诉原因</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>问题类型</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Complaint {reference} recorded.</source>
        <translation>投诉 {reference} 已登记受理。</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Not satisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>{step}: {reference}</source>
        <translation>{step}：{reference}</translation>
    </message>
    <message>
        <source>{step}: done.</source>
        <translation>{step}：已完成。</translation>
    </message>
    <message>
        <source>Acknowledgement {reference}</source>
        <translation>受理回执 {reference}</translation>
    </message>
    <message>
        <source>Reply letter {reference}</source>
        <translation>答复书 {reference}</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>as of {time}</source>
        <translation>截至 {time}</translation>
    </message>
    <message>
        <source>Not connected to the queue system — tickets cannot be issued right now. Please ask our staff for help.</source>
        <translation>排队系统未连接——暂时无法取号，请联系大堂工作人员。</translation>
    </message>
    <message>
        <source>{message} Figures {as_of}.</source>
        <translation>{message}数据{as_of}。</translation>
    </message>
</context>
<context>
    <name>CounterActions</name>
    <message>
        <source>Call next (F1)</source>
        <translation>叫号(F1)</translation>
    </message>
    <message>
        <source>Recall (F2)</source>
        <translation>重呼(F2)</translation>
    </message>
    <message>
        <source>Start (F3)</source>
        <translation>开始办理(F3)</translation>
    </message>
    <message>
        <source>No-show (F4)</source>
        <translation>过号(F4)</translation>
    </message>
    <message>
        <source>Transfer… (F5)</source>
        <translation>转移…(F5)</translation>
    </message>
    <message>
        <source>Pause… (F6)</source>
        <translation>暂停…(F6)</translation>
    </message>
    <message>
        <source>Finish with note…</source>
        <translation>备注办结…</translation>
    </message>
    <message>
        <source>Put back in queue…</source>
        <translation>重新排队…</translation>
    </message>
    <message>
        <source>Park…</source>
        <translation>挂起…</translation>
    </message>
    <message>
        <source>Service receipt…</source>
        <translation>业务回单…</translation>
    </message>
    <message>
        <source>Checklist…</source>
        <translation>业务核对…</translation>
    </message>
    <message>
        <source>Record complaint…</source>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <source>Customer…</source>
        <translation>客户…</translation>
    </message>
    <message>
        <source>Finish (F3)</source>
        <translation>办结(F3)</translation>
    </message>
    <message>
        <source>Resume (F6)</source>
        <translation>恢复服务(F6)</translation>
    </message>
    <message>
        <source>Recall {count} more time(s) first (F2).</source>
        <translation>还需重呼 {count} 次才能记为过号 (F2)。</translation>
    </message>
    <message>
        <source>Service receipt {number}…</source>
        <translation>业务回单 {number}…</translation>
    </message>
</context>
<context>
    <name>CounterDialogs</name>
    <message>
        <source>Put back in queue</source>
        <translation>重新排队</translation>
    </message>
    <message>
        <source>Put {number} back in the queue in its old place.</source>
        <translation>将 {number} 号按原位置放回队列。</translation>
    </message>
    <message>
        <source>e.g. customer is filling in a form</source>
        <translation>例如：客户正在填单</translation>
    </message>
    <message>
        <source>Park ticket</source>
        <translation>挂起号码</translation>
    </message>
    <message>
        <source>Set {number} aside at this counter and serve others meanwhile.</source>
        <translation>在本窗口暂挂 {number} 号，其间先办理其他客户。</translation>
    </message>
    <message>
        <source>e.g. customer fetching a document</source>
        <translation>例如：客户去取证件</translation>
    </message>
    <message>
        <source>Call a specific ticket</source>
        <translation>指定叫号</translation>
    </message>
    <message>
        <source>Call {number} out of turn. Why?</source>
        <translation>越号呼叫 {number} 号，原因？</translation>
    </message>
    <message>
        <source>e.g. elderly customer, documents ready</source>
        <translation>例如：老年客户、材料已备齐</translation>
    </message>
</context>
<context>
    <name>CounterStateLabel</name>
    <message>
        <source>No counter selected</source>
        <translation>未选择窗口</translation>
    </message>
    <message>
        <source>{state} — {reason}</source>
        <translation>{state} — {reason}</translation>
    </message>
</context>
<context>
    <name>CounterStatsBox</name>
    <message>
        <source>My day</source>
        <translation>今日业绩</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>已办理</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>过号</translation>
    </message>
    <message>
        <source>Avg. service (min)</source>
        <translation>平均办理(分)</translation>
    </message>
    <message>
        <source>Avg. rating</source>
        <translation>平均评分</translation>
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
        <translation>网点服务台发生意外错误（编号 {ref}）：
{error}

详细信息见日志文件：
{log}

请将错误编号告知技术支持。如窗口无响应，请重新启动网点服务台。</translation>
    </message>
    <message>
        <source>BranchDesk — unexpected error</source>
        <translation>网点服务台 — 意外错误</translation>
    </message>
</context>
<context>
    <name>CustomerHistoryDialog</name>
    <message>
        <source>Record history</source>
        <translation>资料变更记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Everything done to the record of {name}, newest first.</source>
        <translation>{name} 的资料上做过的全部操作，最新的在前。</translation>
    </message>
</context>
<context>
    <name>CustomerRecordDialog</name>
    <message>
        <source>Change customer record</source>
        <translation>修改客户资料</translation>
    </message>
    <message>
        <source>Register a customer</source>
        <translation>登记客户</translation>
    </message>
    <message>
        <source>Change {name}</source>
        <translation>修改 {name} 的资料</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Individual</source>
        <extracomment>After Save: the new customer's id, or the changed fields.</extracomment>
        <translation>个人</translation>
    </message>
    <message>
        <source>Corporate</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Customer type:</source>
        <translation>客户类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名/名称：</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>证件号码：</translation>
    </message>
    <message>
        <source>Remove {phone}</source>
        <translation>删除 {phone}</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>New phone:</source>
        <translation>新增电话：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Occupation:</source>
        <translation>职业：</translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation>法定代表人：</translation>
    </message>
    <message>
        <source>Contact person:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Industry:</source>
        <translation>行业：</translation>
    </message>
    <message>
        <source>Enterprise size:</source>
        <translation>企业规模：</translation>
    </message>
    <message>
        <source>Business licence:</source>
        <translation>营业执照：</translation>
    </message>
    <message>
        <source>Consent covers:</source>
        <translation>客户同意：</translation>
    </message>
    <message>
        <source>Consent given on:</source>
        <translation>同意日期：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Credit code:</source>
        <translation>统一社会信用代码：</translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <source>Standard</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>金卡</translation>
    </message>
    <message>
        <source>Platinum</source>
        <translation>白金</translation>
    </message>
    <message>
        <source>Diamond</source>
        <translation>钻石</translation>
    </message>
    <message>
        <source>Compliant</source>
        <translation>合规</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>关注</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Birthday greeting</source>
        <translation>生日关怀</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Corporate</source>
        <translation>对公</translation>
    </message>
    <message>
        <source>Debit card</source>
        <translation>借记卡</translation>
    </message>
    <message>
        <source>Credit card</source>
        <translation>信用卡</translation>
    </message>
    <message>
        <source>Savings account</source>
        <translation>储蓄账户</translation>
    </message>
    <message>
        <source>Settlement account</source>
        <translation>结算账户</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Dormant</source>
        <translation>久悬</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已销户</translation>
    </message>
    <message>
        <source>Reported lost</source>
        <translation>已挂失</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候中</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <source>Being served</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>暂挂</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>已转移</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>under 20</source>
        <translation>20岁以下</translation>
    </message>
    <message>
        <source>{low}–{high}</source>
        <translation>{low}–{high}</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Middle</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>优质</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Keep and use the data to serve the customer</source>
        <translation>为办理业务保存和使用个人信息</translation>
    </message>
    <message>
        <source>Contact for marketing and care</source>
        <translation>营销及关怀联系</translation>
    </message>
    <message>
        <source>Share within the banking group</source>
        <translation>集团内共享</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>大型</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中型</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>小型</translation>
    </message>
    <message>
        <source>Micro</source>
        <translation>微型</translation>
    </message>
    <message>
        <source>Identity document seen and valid</source>
        <translation>已核验身份证件且在有效期内</translation>
    </message>
    <message>
        <source>Phones and contact confirmed</source>
        <translation>已确认电话及联系方式</translation>
    </message>
    <message>
        <source>Address confirmed</source>
        <translation>已确认地址</translation>
    </message>
    <message>
        <source>Occupation confirmed</source>
        <translation>已确认职业</translation>
    </message>
    <message>
        <source>Business licence seen and valid</source>
        <translation>已核验营业执照且在有效期内</translation>
    </message>
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <source>Name, ID number, phone (or its last 4 digits), card or account number, credit code</source>
        <translation>姓名、证件号码、电话（或后四位）、卡号或账号、统一社会信用代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender · age</source>
        <translation>性别 · 年龄段</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>合规状态</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一页</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一页 ▶</translation>
    </message>
    <message>
        <source>A customer has arrived.</source>
        <translation>有客户到了。</translation>
    </message>
    <message>
        <source>Import customers…</source>
        <translation>导入客户…</translation>
    </message>
    <message>
        <source>Register a customer…</source>
        <translation>登记客户…</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>待办回访</translation>
    </message>
    <message>
        <source>My customers</source>
        <translation>我的客户</translation>
    </message>
    <message>
        <source>Reviews due</source>
        <translation>待复核客户</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>No customers found.</source>
        <translation>未找到客户。</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>第 {page} 页</translation>
    </message>
    <message>
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>Lobby dashboard — {branch}</source>
        <extracomment>Waits grow between events: re-read at least this often. Narrower than this (a 1024-pixel screen, the dashboard tab of a main window), the tables use smaller type.</extracomment>
        <translation>大堂看板 — {branch}</translation>
    </message>
    <message>
        <source>Not connected to the database: the figures below are not live and alerts cannot be checked.</source>
        <translation>数据库未连接：以下数据并非实时，暂无法检查预警。</translation>
    </message>
    <message>
        <source>{branch} — lobby</source>
        <translation>{branch} — 大堂</translation>
    </message>
    <message>
        <source>Satisfaction today</source>
        <translation>今日满意率</translation>
    </message>
    <message>
        <source>Full screen (F11)</source>
        <translation>全屏 (F11)</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>{open} open</source>
        <translation>{open} 件处理中</translation>
    </message>
    <message>
        <source>{soon} due soon · {overdue} overdue</source>
        <translation>{soon} 件即将到期 · {overdue} 件逾期</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <source>Longest
wait
(min)</source>
        <translation>最长
等候
(分)</translation>
    </message>
    <message>
        <source>Avg. wait
(min)</source>
        <translation>平均等候
(分)</translation>
    </message>
    <message>
        <source>Avg.
service
(min)</source>
        <translation>平均
办理
(分)</translation>
    </message>
    <message>
        <source>Time
(min)</source>
        <translation>已用时
(分)</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>{business}: {waiting:.0f} waiting, more than the open counters can take ({limit:.0f}).</source>
        <translation>{business}：{waiting:.0f} 人等候，超过开放窗口可承接的 {limit:.0f} 人。</translation>
    </message>
    <message>
        <source>Open a flexible counter: counter {counters} can serve it.</source>
        <translation>建议开启弹性窗口：{counters} 号窗口可办理该业务。</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Open
counters</source>
        <translation>开放
窗口</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Calling</source>
        <translation>叫号中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No ratings yet · goal {goal}</source>
        <translation>暂无评价 · 目标 {goal}</translation>
    </message>
    <message>
        <source>{satisfied} of {ratings} ratings · goal {goal}</source>
        <translation>{ratings} 条评价中 {satisfied} 条满意 · 目标 {goal}</translation>
    </message>
    <message>
        <source>{business}: a customer has waited {minutes:.0f} min (limit {limit:.0f}).</source>
        <translation>{business}：有客户已等候 {minutes:.0f} 分钟（上限 {limit:.0f} 分钟）。</translation>
    </message>
    <message>
        <source>No paused or closed counter serves it; change a counter's services.</source>
        <translation>没有暂停或关闭的窗口可办理该业务，请调整窗口业务配置。</translation>
    </message>
    <message>
        <source>Alerts cannot be checked while the database is not connected (figures {as_of}).</source>
        <translation>数据库未连接，暂无法检查预警（数据{as_of}）。</translation>
    </message>
    <message>
        <source>Alerts cannot be checked while the database is not connected.</source>
        <translation>数据库未连接，暂无法检查预警。</translation>
    </message>
    <message>
        <source>No alerts: every queue is within its limits.</source>
        <translation>无预警：各业务排队均在限值之内。</translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Where BranchDesk keeps the queue, users and records.</source>
        <translation>网点服务台存放排队、用户和业务记录的位置。</translation>
    </message>
    <message>
        <source>Local database on this computer (one workstation)</source>
        <translation>本机数据库（单台工作站）</translation>
    </message>
    <message>
        <source>Shared PostgreSQL server (several workstations or branches)</source>
        <translation>共享 PostgreSQL 服务器（多台工作站或多个网点）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>The database could not be read: {error}</source>
        <translation>无法读取数据库：{error}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>{user} ({role}) may not {action}.</source>
        <translation>{user}（{role}）无权{action}。</translation>
    </message>
    <message>
        <source>{what} {key} does not exist.</source>
        <translation>{what} {key} 不存在。</translation>
    </message>
    <message>
        <source>Ticket {ticket} is {status}; it cannot be {action}.</source>
        <translation>{ticket} 号{status}，无法{action}。</translation>
    </message>
    <message>
        <source>Counter {counter} is still serving {ticket}; finish it or mark it a no-show first.</source>
        <translation>{counter} 号窗口正在办理 {ticket} 号，请先办结或标记过号。</translation>
    </message>
    <message>
        <source>Counter {counter} was given a ticket by another workstation at the same moment.</source>
        <translation>另一台工作站同时为 {counter} 号窗口叫了号。</translation>
    </message>
    <message>
        <source>Counter {counter} has no called ticket.</source>
        <translation>{counter} 号窗口当前没有已呼叫的号码。</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}：{reason}</translation>
    </message>
    <message>
        <source>The operation could not be completed.</source>
        <translation>操作未能完成。</translation>
    </message>
    <message>
        <source>{reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <source>Counter {counter} is {state}; resume it first.</source>
        <translation>{counter} 号窗口当前为{state}状态，请先恢复服务。</translation>
    </message>
    <message>
        <source>Counter {counter} is already {state}.</source>
        <translation>{counter} 号窗口已处于{state}状态。</translation>
    </message>
    <message>
        <source>Counter {counter} still holds parked ticket {ticket}.</source>
        <translation>{counter} 号窗口仍有挂起的 {ticket} 号。</translation>
    </message>
    <message>
        <source>Ticket {ticket} has been recalled {recalls} of {needed} times; recall it before marking a no-show.</source>
        <translation>{ticket} 号已重呼 {recalls} 次（需 {needed} 次），请重呼后再标记过号。</translation>
    </message>
    <message>
        <source>Ticket {ticket} is not waiting.</source>
        <translation>{ticket} 号不在等候中。</translation>
    </message>
    <message>
        <source>Ticket {ticket} is not finished; rate it after the service.</source>
        <translation>{ticket} 号尚未办结，请在办结后评价。</translation>
    </message>
    <message>
        <source>This service has already been rated.</source>
        <translation>本次服务已评价。</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>排队号</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <source>Business type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>issue tickets</source>
        <translation>取号</translation>
    </message>
    <message>
        <source>Ticket {ticket} is not finished yet; a receipt is printed after service.</source>
        <translation>{ticket} 号尚未办结，业务回单须在办结后打印。</translation>
    </message>
    <message>
        <source>Appointment {booking} is already {status}.</source>
        <translation>预约 {booking} {status}，不能再次使用。</translation>
    </message>
    <message>
        <source>{file}: step {step}: {reason}</source>
        <translation>{file}：事项 {step}：{reason}</translation>
    </message>
    <message>
        <source>{message}</source>
        <translation>{message}</translation>
    </message>
    <message>
        <source>Ticket {ticket} cannot be finished: {count} required checklist step(s) still open, starting with “{step}”. Complete them or ask a supervisor to override.</source>
        <translation>{ticket} 号不能结束办理：尚有 {count} 项必做核对事项未完成（首项为“{step}”）。请完成，或请主管授权。</translation>
    </message>
    <message>
        <source>Every step of this checklist has been dealt with.</source>
        <translation>本核对单的所有事项均已处理。</translation>
    </message>
    <message>
        <source>No required step is open; nothing to override.</source>
        <translation>没有未完成的必做事项，无需授权。</translation>
    </message>
    <message>
        <source>“{step}” is not the next step; “{current}” comes first.</source>
        <translation>“{step}”不是当前事项，须先处理“{current}”。</translation>
    </message>
    <message>
        <source>“{step}” is optional; skip it with a reason instead.</source>
        <translation>“{step}”为选做事项，请注明原因后跳过。</translation>
    </message>
    <message>
        <source>“{step}” is required; it cannot be skipped without a supervisor's override.</source>
        <translation>“{step}”为必做事项，未经主管授权不能跳过。</translation>
    </message>
    <message>
        <source>Ticket {ticket} is {status}; its checklist can no longer be changed.</source>
        <translation>{ticket} 号{status}，其业务核对单不能再修改。</translation>
    </message>
    <message>
        <source>The checklist of ticket {ticket} still has required steps open.</source>
        <translation>{ticket} 号的业务核对单尚有必做事项未完成。</translation>
    </message>
    <message>
        <source>Template {business_type} version {version} is not newer than version {latest}; raise the version in the file.</source>
        <translation>模板 {business_type} 第 {version} 版不比第 {latest} 版新，请在文件中提高版本号。</translation>
    </message>
    <message>
        <source>Complaint {complaint} is {status}; it cannot be {action}.</source>
        <translation>投诉 {complaint} 当前{status}，不能{action}。</translation>
    </message>
    <message>
        <source>The deadline is already at its maximum of {days} days.</source>
        <translation>处理期限已达上限 {days} 日，不能再延长。</translation>
    </message>
    <message>
        <source>The complaint is already paused.</source>
        <translation>该投诉已暂停计时。</translation>
    </message>
    <message>
        <source>The complaint is not paused.</source>
        <translation>该投诉未暂停计时。</translation>
    </message>
    <message>
        <source>Complaint {complaint} is waiting for an appraisal; resume it first.</source>
        <translation>投诉 {complaint} 正在等待外部鉴定，请先恢复计时。</translation>
    </message>
    <message>
        <source>The review window of {days} days after the decision has passed.</source>
        <translation>已超过处理决定作出后 {days} 日的复核申请期限。</translation>
    </message>
    <message>
        <source>Complaint {complaint} is no longer a draft.</source>
        <translation>投诉 {complaint} 已不是草稿。</translation>
    </message>
    <message>
        <source>Complaint #{complaint} is still a draft; submit it before printing.</source>
        <translation>投诉 #{complaint} 仍是草稿，请提交受理后再打印。</translation>
    </message>
    <message>
        <source>waiting</source>
        <comment>ticket status</comment>
        <translation>正在等候</translation>
    </message>
    <message>
        <source>called</source>
        <comment>ticket status</comment>
        <translation>已叫号</translation>
    </message>
    <message>
        <source>being served</source>
        <comment>ticket status</comment>
        <translation>正在办理</translation>
    </message>
    <message>
        <source>parked</source>
        <comment>ticket status</comment>
        <translation>已挂起</translation>
    </message>
    <message>
        <source>finished</source>
        <comment>ticket status</comment>
        <translation>已办结</translation>
    </message>
    <message>
        <source>a no-show</source>
        <comment>ticket status</comment>
        <translation>已过号</translation>
    </message>
    <message>
        <source>transferred</source>
        <comment>ticket status</comment>
        <translation>已转移</translation>
    </message>
    <message>
        <source>booked</source>
        <comment>appointment status</comment>
        <translation>已预约</translation>
    </message>
    <message>
        <source>checked in</source>
        <comment>appointment status</comment>
        <translation>已签到</translation>
    </message>
    <message>
        <source>cancelled</source>
        <comment>appointment status</comment>
        <translation>已取消</translation>
    </message>
    <message>
        <source>a draft</source>
        <comment>complaint status</comment>
        <translation>为草稿</translation>
    </message>
    <message>
        <source>received</source>
        <comment>complaint status</comment>
        <translation>已登记</translation>
    </message>
    <message>
        <source>accepted</source>
        <comment>complaint status</comment>
        <translation>已受理</translation>
    </message>
    <message>
        <source>under investigation</source>
        <comment>complaint status</comment>
        <translation>正在调查</translation>
    </message>
    <message>
        <source>extended</source>
        <comment>complaint status</comment>
        <translation>已延期</translation>
    </message>
    <message>
        <source>decided</source>
        <comment>complaint status</comment>
        <translation>已作出决定</translation>
    </message>
    <message>
        <source>closed</source>
        <comment>complaint status</comment>
        <translation>已办结</translation>
    </message>
    <message>
        <source>under review</source>
        <comment>complaint status</comment>
        <translation>正在复核</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <comment>complaint status</comment>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>merged</source>
        <comment>complaint status</comment>
        <translation>已合并</translation>
    </message>
    <message>
        <source>open</source>
        <comment>counter state</comment>
        <translation>开放</translation>
    </message>
    <message>
        <source>paused</source>
        <comment>counter state</comment>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>closed</source>
        <comment>counter state</comment>
        <translation>关闭</translation>
    </message>
    <message>
        <source>called</source>
        <comment>ticket action</comment>
        <translation>叫号</translation>
    </message>
    <message>
        <source>recalled</source>
        <comment>ticket action</comment>
        <translation>重呼</translation>
    </message>
    <message>
        <source>started</source>
        <comment>ticket action</comment>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>finished</source>
        <comment>ticket action</comment>
        <translation>办结</translation>
    </message>
    <message>
        <source>marked a no-show</source>
        <comment>ticket action</comment>
        <translation>标记过号</translation>
    </message>
    <message>
        <source>put back in the queue</source>
        <comment>ticket action</comment>
        <translation>重新排队</translation>
    </message>
    <message>
        <source>parked</source>
        <comment>ticket action</comment>
        <translation>挂起</translation>
    </message>
    <message>
        <source>resumed</source>
        <comment>ticket action</comment>
        <translation>恢复办理</translation>
    </message>
    <message>
        <source>transferred</source>
        <comment>ticket action</comment>
        <translation>转移</translation>
    </message>
    <message>
        <source>serve at a counter</source>
        <translation>在窗口办理业务</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>manage branches</source>
        <translation>管理网点</translation>
    </message>
    <message>
        <source>work for another branch</source>
        <translation>操作其他网点</translation>
    </message>
    <message>
        <source>override checklist steps</source>
        <translation>授权免做核对事项</translation>
    </message>
    <message>
        <source>manage checklist templates</source>
        <translation>管理核对单模板</translation>
    </message>
    <message>
        <source>submitted</source>
        <comment>complaint action</comment>
        <translation>提交受理</translation>
    </message>
    <message>
        <source>accepted</source>
        <comment>complaint action</comment>
        <translation>受理</translation>
    </message>
    <message>
        <source>investigated</source>
        <comment>complaint action</comment>
        <translation>开始调查</translation>
    </message>
    <message>
        <source>extended</source>
        <comment>complaint action</comment>
        <translation>延长期限</translation>
    </message>
    <message>
        <source>paused for an appraisal</source>
        <comment>complaint action</comment>
        <translation>暂停计时等待鉴定</translation>
    </message>
    <message>
        <source>given new facts</source>
        <comment>complaint action</comment>
        <translation>补充新的事实</translation>
    </message>
    <message>
        <source>assigned</source>
        <comment>complaint action</comment>
        <translation>指派处理人</translation>
    </message>
    <message>
        <source>decided</source>
        <comment>complaint action</comment>
        <translation>作出处理决定</translation>
    </message>
    <message>
        <source>replied to</source>
        <comment>complaint action</comment>
        <translation>答复</translation>
    </message>
    <message>
        <source>closed</source>
        <comment>complaint action</comment>
        <translation>办结</translation>
    </message>
    <message>
        <source>sent for review</source>
        <comment>complaint action</comment>
        <translation>申请复核</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <comment>complaint action</comment>
        <translation>撤回</translation>
    </message>
    <message>
        <source>merged</source>
        <comment>complaint action</comment>
        <translation>合并</translation>
    </message>
    <message>
        <source>record complaints</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <source>handle complaints</source>
        <translation>处理投诉</translation>
    </message>
    <message>
        <source>extend complaint deadlines</source>
        <translation>延长投诉处理期限</translation>
    </message>
    <message>
        <source>close complaints</source>
        <translation>办结投诉</translation>
    </message>
    <message>
        <source>view reports</source>
        <translation>查看报表</translation>
    </message>
    <message>
        <source>reveal their own customers' full data</source>
        <translation>查看本人所管客户的完整信息</translation>
    </message>
    <message>
        <source>give customers their relationship manager</source>
        <translation>为客户指定客户经理</translation>
    </message>
    <message>
        <source>register and change customers</source>
        <translation>登记和修改客户资料</translation>
    </message>
    <message>
        <source>merge customer records</source>
        <translation>合并客户资料</translation>
    </message>
    <message>
        <source>change the branch's settings</source>
        <translation>修改网点设置</translation>
    </message>
    <message>
        <source>read the audit log</source>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Checklist template</source>
        <translation>核对单模板</translation>
    </message>
    <message>
        <source>Checklist run</source>
        <translation>业务核对记录</translation>
    </message>
    <message>
        <source>Checklist step</source>
        <translation>核对事项</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Customer phone</source>
        <translation>客户电话</translation>
    </message>
    <message>
        <source>Customer account</source>
        <translation>客户账户</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>回访任务</translation>
    </message>
    <message>
        <source>customer manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>wealth manager</source>
        <translation>理财经理</translation>
    </message>
    <message>
        <source>teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>lobby manager</source>
        <translation>大堂经理</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>网点主管</translation>
    </message>
    <message>
        <source>Parked ticket</source>
        <translation>挂起的号码</translation>
    </message>
    <message>
        <source>edit the counter services</source>
        <translation>配置窗口业务</translation>
    </message>
    <message>
        <source>Appointment {booking} is for {day}, not today.</source>
        <translation>预约 {booking} 的日期为 {day}，不是今天。</translation>
    </message>
    <message>
        <source>Complaint {complaint} has no decision yet; the reply letter is printed after the decision.</source>
        <translation>投诉 {complaint} 尚未作出处理决定，答复书须在决定后打印。</translation>
    </message>
    <message>
        <source>view the queue</source>
        <translation>查看排队</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Branch code</source>
        <translation>网点代码</translation>
    </message>
    <message>
        <source>Branch name</source>
        <translation>网点名称</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Pause reason</source>
        <translation>暂停原因</translation>
    </message>
    <message>
        <source>Business types</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Ticket prefix</source>
        <translation>号码前缀</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>排队号</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Slot length</source>
        <translation>时段长度</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Transfer target</source>
        <translation>转移目标</translation>
    </message>
    <message>
        <source>choose a business type or a counter</source>
        <translation>请选择业务类型或窗口</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>客户姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>a mainland mobile number (11 digits) or a landline with area code</source>
        <translation>须为 11 位手机号码或带区号的固定电话</translation>
    </message>
    <message>
        <source>Time slot</source>
        <translation>预约时段</translation>
    </message>
    <message>
        <source>This database is on a PostgreSQL server: back it up there with pg_dump (see the README).</source>
        <translation>本数据库位于 PostgreSQL 服务器上，请在服务器上使用 pg_dump 备份（见 README）。</translation>
    </message>
    <message>
        <source>{file} is not a BranchDesk database backup: {reason}.</source>
        <translation>{file} 不是 BranchDesk 数据库备份：{reason}。</translation>
    </message>
    <message>
        <source>The backup could not be completed: {reason}.</source>
        <translation>备份未能完成：{reason}。</translation>
    </message>
    <message>
        <source>The database cannot be reached: the action was not carried out. BranchDesk reconnects by itself as soon as it is back.</source>
        <translation>无法连接数据库：本次操作未执行。数据库恢复后，BranchDesk 将自动重新连接。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: the account is locked for {minutes} more minutes, or until a supervisor unlocks it.</source>
        <translation>密码错误次数过多：账户已锁定，{minutes} 分钟后或由主管解锁后方可登录。</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Place in queue</source>
        <translation>排队位置</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Rating source</source>
        <translation>评价来源</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>输出文件</translation>
    </message>
    <message>
        <source>Customer age</source>
        <translation>客户年龄</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>投诉渠道</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务类别</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>问题类型</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Complainant's name</source>
        <translation>投诉人姓名</translation>
    </message>
    <message>
        <source>Complainant's ID number</source>
        <translation>投诉人证件号码</translation>
    </message>
    <message>
        <source>Complainant's contact</source>
        <translation>投诉人联系方式</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
    <message>
        <source>Agent's contact</source>
        <translation>代理人联系方式</translation>
    </message>
    <message>
        <source>Agent's authorisation</source>
        <translation>代理人授权材料</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>The data key file {path} is missing, and this database's personal data needs the key with fingerprint {expected}. Restore the branch's copy of the key file; no new key is made for a database that holds encrypted data.</source>
        <translation>数据密钥文件 {path} 不存在，而本数据库中的个人信息需要指纹为 {expected} 的密钥。请恢复网点保存的密钥文件副本；数据库已有加密数据时不会生成新密钥。</translation>
    </message>
    <message>
        <source>There is no data key yet ({path}). Create one with 'branchdesk-admin keys create' (a supervisor), or run the first-run setup; then keep a copy of it with the branch's backups.</source>
        <translation>尚无数据密钥（{path}）。请由主管用“branchdesk-admin keys create”创建，或运行首次设置；之后将其副本与网点备份一同保管。</translation>
    </message>
    <message>
        <source>The data key from {source} (fingerprint {found}) is not the key this database's personal data was encrypted with (fingerprint {expected}). Restore the branch's key file; nothing was changed.</source>
        <translation>来自 {source} 的数据密钥（指纹 {found}）不是加密本数据库个人信息所用的密钥（指纹 {expected}）。请恢复网点的密钥文件；未做任何更改。</translation>
    </message>
    <message>
        <source>The data key from {source} cannot be used: {reason}.</source>
        <translation>来自 {source} 的数据密钥无法使用：{reason}。</translation>
    </message>
    <message>
        <source>There is no database at {path}. Check the path, or create it with 'branchdesk-admin db upgrade'.</source>
        <translation>{path} 处没有数据库。请检查路径，或用“branchdesk-admin db upgrade”创建。</translation>
    </message>
    <message>
        <source>answered</source>
        <comment>complaint status</comment>
        <translation>已答复</translation>
    </message>
    <message>
        <source>complete checklists</source>
        <translation>办理业务核对</translation>
    </message>
    <message>
        <source>view customer data</source>
        <translation>查看客户资料</translation>
    </message>
    <message>
        <source>reveal full personal data</source>
        <translation>查看完整个人信息</translation>
    </message>
    <message>
        <source>Staff complained about</source>
        <translation>被投诉人员</translation>
    </message>
    <message>
        <source>Counter complained about</source>
        <translation>被投诉窗口</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>投诉请求</translation>
    </message>
    <message>
        <source>Facts and reasons</source>
        <translation>事实与理由</translation>
    </message>
    <message>
        <source>Documents received</source>
        <translation>收到的材料</translation>
    </message>
    <message>
        <source>Date received</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Reference number</source>
        <translation>受理编号</translation>
    </message>
    <message>
        <source>Reason for the extension</source>
        <translation>延期理由</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <source>Extensions</source>
        <translation>延期次数</translation>
    </message>
    <message>
        <source>Complaint deadlines</source>
        <translation>投诉处理期限</translation>
    </message>
    <message>
        <source>Pause date</source>
        <translation>暂停日期</translation>
    </message>
    <message>
        <source>Resume date</source>
        <translation>恢复日期</translation>
    </message>
    <message>
        <source>Date of the new facts</source>
        <translation>新事实日期</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理决定</translation>
    </message>
    <message>
        <source>Customer details</source>
        <translation>客户信息</translation>
    </message>
    <message>
        <source>Received via</source>
        <translation>受理方式</translation>
    </message>
    <message>
        <source>Complainant type</source>
        <translation>投诉人类型</translation>
    </message>
    <message>
        <source>Subject details</source>
        <translation>被投诉对象说明</translation>
    </message>
    <message>
        <source>Reply method</source>
        <translation>答复方式</translation>
    </message>
    <message>
        <source>Reply text</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <source>Merge target</source>
        <translation>合并目标</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Asset band</source>
        <translation>资产分层</translation>
    </message>
    <message>
        <source>Activity band</source>
        <translation>活跃度分层</translation>
    </message>
    <message>
        <source>Credit grade</source>
        <translation>信用等级</translation>
    </message>
    <message>
        <source>Compliance status</source>
        <translation>合规状态</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Account type</source>
        <translation>账户类型</translation>
    </message>
    <message>
        <source>Account opening date</source>
        <translation>开户日期</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>客户同意</translation>
    </message>
    <message>
        <source>Consent date</source>
        <translation>同意日期</translation>
    </message>
    <message>
        <source>Consent covers</source>
        <translation>客户同意范围</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Enterprise size</source>
        <translation>企业规模</translation>
    </message>
    <message>
        <source>Business licence expires</source>
        <translation>营业执照到期日</translation>
    </message>
    <message>
        <source>Phone to remove</source>
        <translation>要删除的电话</translation>
    </message>
    <message>
        <source>Account status</source>
        <translation>账户状态</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Relationship manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>What was confirmed</source>
        <translation>确认内容</translation>
    </message>
    <message>
        <source>Days without a visit</source>
        <translation>未到访天数</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>客户分群</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Follow-up type</source>
        <translation>回访类型</translation>
    </message>
    <message>
        <source>Tier scores</source>
        <translation>客户等级评分线</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>contains a NUL character</source>
        <translation>含有空字符（NUL）</translation>
    </message>
    <message>
        <source>not a URL such as sqlite:///path/branchdesk.sqlite3 or postgresql://user@server/branchdesk</source>
        <translation>不是有效地址，应形如 sqlite:///路径/branchdesk.sqlite3 或 postgresql://用户@服务器/branchdesk</translation>
    </message>
    <message>
        <source>letters, digits, '.' and '_' only</source>
        <translation>只能包含字母、数字、“.”和“_”</translation>
    </message>
    <message>
        <source>each business type at most once</source>
        <translation>每种业务类型只能出现一次</translation>
    </message>
    <message>
        <source>0 or more</source>
        <translation>须大于或等于 0</translation>
    </message>
    <message>
        <source>needs a time zone</source>
        <translation>须带时区</translation>
    </message>
    <message>
        <source>must be in the future</source>
        <translation>须晚于当前时间</translation>
    </message>
    <message>
        <source>must be unique</source>
        <translation>不能重复</translation>
    </message>
    <message>
        <source>a positive whole number</source>
        <translation>须为正整数</translation>
    </message>
    <message>
        <source>a date (YYYY-MM-DD)</source>
        <translation>须为日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>a month (YYYY-MM)</source>
        <translation>格式为 YYYY-MM</translation>
    </message>
    <message>
        <source>must be one capital letter A–Z</source>
        <translation>须为一个大写字母 A–Z</translation>
    </message>
    <message>
        <source>17 digits followed by a digit or X</source>
        <translation>须为 17 位数字加 1 位数字或 X</translation>
    </message>
    <message>
        <source>the check character does not match</source>
        <translation>校验位不正确</translation>
    </message>
    <message>
        <source>digits 7–14 are not a valid birth date</source>
        <translation>第 7–14 位不是有效的出生日期</translation>
    </message>
    <message>
        <source>the birth date is impossible</source>
        <translation>出生日期不合理</translation>
    </message>
    <message>
        <source>no free booking code; try again</source>
        <translation>暂无可用的预约码，请重试</translation>
    </message>
    <message>
        <source>front, end or arrival</source>
        <translation>须为队首、队尾或按到达时间</translation>
    </message>
    <message>
        <source>evaluator or teller</source>
        <translation>须为评价器或柜员</translation>
    </message>
    <message>
        <source>a supervisor must confirm</source>
        <translation>须主管确认</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>须为数字</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>须为整数</translation>
    </message>
    <message>
        <source>must not be in the future</source>
        <translation>不能晚于今天</translation>
    </message>
    <message>
        <source>not in the expected format</source>
        <translation>格式不正确</translation>
    </message>
    <message>
        <source>not one of the listed values</source>
        <translation>不是可选值之一</translation>
    </message>
    <message>
        <source>must be text</source>
        <translation>必须是文字</translation>
    </message>
    <message>
        <source>at most {limit} characters</source>
        <translation>最多 {limit} 个字符</translation>
    </message>
    <message>
        <source>at least {limit} characters</source>
        <translation>至少 {limit} 个字符</translation>
    </message>
    <message>
        <source>{minimum} to {maximum} characters</source>
        <translation>须为 {minimum} 至 {maximum} 个字符</translation>
    </message>
    <message>
        <source>must have {length} characters</source>
        <translation>须为 {length} 位</translation>
    </message>
    <message>
        <source>contains control characters</source>
        <translation>含有控制字符</translation>
    </message>
    <message>
        <source>contains invisible formatting characters</source>
        <translation>含有不可见的格式字符</translation>
    </message>
    <message>
        <source>contains masked characters (*): type the full value or leave it unchanged</source>
        <translation>含有遮蔽字符（*）：请输入完整内容，或保持原样不改</translation>
    </message>
    <message>
        <source>not a valid record</source>
        <translation>不是有效的记录</translation>
    </message>
    <message>
        <source>at most {limit} items</source>
        <translation>最多 {limit} 项</translation>
    </message>
    <message>
        <source>at least {limit}</source>
        <translation>不少于 {limit}</translation>
    </message>
    <message>
        <source>at most {limit}</source>
        <translation>不超过 {limit}</translation>
    </message>
    <message>
        <source>{minimum} to {maximum}</source>
        <translation>须为 {minimum} 至 {maximum}</translation>
    </message>
    <message>
        <source>{minimum} to {maximum} digits</source>
        <translation>须为 {minimum} 至 {maximum} 位数字</translation>
    </message>
    <message>
        <source>a date and time like 2026-11-24T10:30</source>
        <translation>须为日期时间，如 2026-11-24T10:30</translation>
    </message>
    <message>
        <source>unknown time zone '{zone}'</source>
        <translation>未知时区“{zone}”</translation>
    </message>
    <message>
        <source>{minimum} to {maximum} minutes</source>
        <translation>须为 {minimum} 至 {maximum} 分钟</translation>
    </message>
    <message>
        <source>the customer must agree to their data being kept for the service</source>
        <translation>须经客户同意为办理业务保存其个人信息</translation>
    </message>
    <message>
        <source>nothing was changed</source>
        <translation>没有任何修改</translation>
    </message>
    <message>
        <source>this record was merged into customer {into}</source>
        <translation>该资料已合并到客户 {into}</translation>
    </message>
    <message>
        <source>this account number is already on the record of customer {customer}</source>
        <translation>该账号已登记在客户 {customer} 名下</translation>
    </message>
    <message>
        <source>the account is closed</source>
        <translation>该账户已销户</translation>
    </message>
    <message>
        <source>not a valid unified social credit code</source>
        <translation>不是有效的统一社会信用代码</translation>
    </message>
    <message>
        <source>required when the database has no branch or several branches</source>
        <translation>数据库中没有网点或有多个网点时必须指定</translation>
    </message>
    <message>
        <source>an individual and a corporate customer cannot be merged</source>
        <translation>个人客户与对公客户不能合并</translation>
    </message>
    <message>
        <source>a complaint cannot be merged into itself</source>
        <translation>不能与自身合并</translation>
    </message>
    <message>
        <source>must be 0 &lt; decide ≤ extended ≤ maximum</source>
        <translation>须满足 0 &lt; 处理期限 ≤ 延长期限 ≤ 最长期限</translation>
    </message>
    <message>
        <source>must end in one of {extensions}</source>
        <translation>须以下列扩展名之一结尾：{extensions}</translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation>{detail}</translation>
    </message>
    <message>
        <source>{file} does not pass the integrity check</source>
        <translation>{file} 未通过完整性检查</translation>
    </message>
    <message>
        <source>the restored database fails the integrity check; the previous one is in {file}</source>
        <translation>恢复后的数据库未通过完整性检查；原数据库已保存在 {file}</translation>
    </message>
    <message>
        <source>the current key cannot be dropped</source>
        <translation>不能删除当前密钥</translation>
    </message>
    <message>
        <source>{variable} is empty</source>
        <translation>{variable} 为空</translation>
    </message>
    <message>
        <source>cannot read the data key file {path}: {detail}</source>
        <translation>无法读取数据密钥文件 {path}：{detail}</translation>
    </message>
    <message>
        <source>{path}: the current key {key} is not in the file</source>
        <translation>{path}：文件中没有当前密钥 {key}</translation>
    </message>
    <message>
        <source>{origin}: a key must be base64</source>
        <translation>{origin}：密钥须为 base64 编码</translation>
    </message>
    <message>
        <source>{origin}: a key must be 32 bytes (base64 of 32 random bytes)</source>
        <translation>{origin}：密钥须为 32 字节（32 个随机字节的 base64 编码）</translation>
    </message>
    <message>
        <source>no data key: set {variable} or create {path}</source>
        <translation>没有数据密钥：请设置 {variable} 或创建 {path}</translation>
    </message>
    <message>
        <source>value encrypted with key {key}, which this workstation does not hold</source>
        <translation>该数据由密钥 {key} 加密，本工作站没有此密钥</translation>
    </message>
    <message>
        <source>a stored {column} failed authentication</source>
        <translation>已存储的 {column} 未通过认证校验</translation>
    </message>
    <message>
        <source>not valid TOML: {detail}</source>
        <translation>不是有效的 TOML：{detail}</translation>
    </message>
    <message>
        <source>a [template] table is required</source>
        <translation>缺少 [template] 表</translation>
    </message>
    <message>
        <source>version must be a whole number of 1 or more</source>
        <translation>version 须为大于或等于 1 的整数</translation>
    </message>
    <message>
        <source>at least one [[step]] is required</source>
        <translation>至少需要一个 [[step]]</translation>
    </message>
    <message>
        <source>business_type '{business_type}' is not a business type</source>
        <translation>business_type“{business_type}”不是已有的业务类型</translation>
    </message>
    <message>
        <source>{key} must be text</source>
        <translation>{key} 须为文本</translation>
    </message>
    <message>
        <source>{key} is required</source>
        <translation>{key} 为必填项</translation>
    </message>
    <message>
        <source>{key} must be a number</source>
        <translation>{key} 须为数字</translation>
    </message>
    <message>
        <source>{key} must be true or false</source>
        <translation>{key} 须为 true 或 false</translation>
    </message>
    <message>
        <source>{key} must be one of {keywords}</source>
        <translation>{key} 须为以下之一：{keywords}</translation>
    </message>
    <message>
        <source>unknown key '{key}'</source>
        <translation>未知的键“{key}”</translation>
    </message>
    <message>
        <source>a step must be a table</source>
        <translation>每个事项须为一个表</translation>
    </message>
    <message>
        <source>id must be lower-case letters, digits and _ (starting with a letter)</source>
        <translation>id 只能包含小写字母、数字和 _，且须以字母开头</translation>
    </message>
    <message>
        <source>id is used by an earlier step</source>
        <translation>id 与前面的事项重复</translation>
    </message>
    <message>
        <source>a choice step needs at least two options</source>
        <translation>选择类事项至少需要两个选项</translation>
    </message>
    <message>
        <source>only a choice step has options</source>
        <translation>只有选择类事项可以有 options</translation>
    </message>
    <message>
        <source>only a number step has min and max</source>
        <translation>只有数字类事项可以有 min 和 max</translation>
    </message>
    <message>
        <source>only a text step has a pattern</source>
        <translation>只有文本类事项可以有 pattern</translation>
    </message>
    <message>
        <source>birthday greeting</source>
        <comment>follow-up type</comment>
        <translation>生日关怀</translation>
    </message>
    <message>
        <source>medium</source>
        <comment>band</comment>
        <translation>中</translation>
    </message>
    <message>
        <source>each option needs value, zh and en</source>
        <translation>每个选项都须有 value、zh 和 en</translation>
    </message>
    <message>
        <source>option values must be unique</source>
        <translation>选项的 value 不能重复</translation>
    </message>
    <message>
        <source>min is greater than max</source>
        <translation>min 大于 max</translation>
    </message>
    <message>
        <source>pattern is not a valid regular expression</source>
        <translation>pattern 不是有效的正则表达式</translation>
    </message>
    <message>
        <source>format: only a text step may be a date</source>
        <translation>format：只有文本类事项可以设为日期</translation>
    </message>
    <message>
        <source>max_age_days needs format = "date" and a positive whole number</source>
        <translation>max_age_days 须与 format = "date" 一起使用，且须为正整数</translation>
    </message>
    <message>
        <source>max_length must be {minimum} to {maximum}</source>
        <translation>max_length 须为 {minimum} 至 {maximum}</translation>
    </message>
    <message>
        <source>when must be a table or a list of tables</source>
        <translation>when 须为一个表或由表组成的列表</translation>
    </message>
    <message>
        <source>when: name a fact or an input</source>
        <translation>when：须指定 fact 或 input</translation>
    </message>
    <message>
        <source>when: unknown fact '{fact}'</source>
        <translation>when：未知的 fact“{fact}”</translation>
    </message>
    <message>
        <source>when: input '{input}' is not an earlier step</source>
        <translation>when：input“{input}”不是前面的事项</translation>
    </message>
    <message>
        <source>when: step {target} takes no input</source>
        <translation>when：事项 {target} 没有输入值</translation>
    </message>
    <message>
        <source>when: {value} is not an option of {target}</source>
        <translation>when：{value} 不是 {target} 的选项</translation>
    </message>
    <message>
        <source>when: {target} is a number; compare it with a number</source>
        <translation>when：{target} 是数字，须与数字比较</translation>
    </message>
    <message>
        <source>a rule must be a table</source>
        <translation>每条规则须为一个表</translation>
    </message>
    <message>
        <source>left and right must name steps of this template</source>
        <translation>left 和 right 须为本模板中的事项</translation>
    </message>
    <message>
        <source>left and right must be two numbers or two choices</source>
        <translation>left 和 right 须同为数字类或同为选择类事项</translation>
    </message>
    <message>
        <source>break</source>
        <comment>pause reason</comment>
        <translation>临时休息</translation>
    </message>
    <message>
        <source>meeting</source>
        <comment>pause reason</comment>
        <translation>会议</translation>
    </message>
    <message>
        <source>cash handover</source>
        <comment>pause reason</comment>
        <translation>现金交接</translation>
    </message>
    <message>
        <source>other</source>
        <comment>pause reason</comment>
        <translation>其他</translation>
    </message>
    <message>
        <source>follow-up visit</source>
        <comment>follow-up type</comment>
        <translation>回访</translation>
    </message>
    <message>
        <source>debit card</source>
        <comment>account type</comment>
        <translation>借记卡</translation>
    </message>
    <message>
        <source>credit card</source>
        <comment>account type</comment>
        <translation>信用卡</translation>
    </message>
    <message>
        <source>savings account</source>
        <comment>account type</comment>
        <translation>储蓄账户</translation>
    </message>
    <message>
        <source>settlement account</source>
        <comment>account type</comment>
        <translation>结算账户</translation>
    </message>
    <message>
        <source>high</source>
        <comment>band</comment>
        <translation>高</translation>
    </message>
    <message>
        <source>low</source>
        <comment>band</comment>
        <translation>低</translation>
    </message>
    <message>
        <source>good</source>
        <comment>credit grade</comment>
        <translation>优质</translation>
    </message>
    <message>
        <source>fair</source>
        <comment>credit grade</comment>
        <translation>一般</translation>
    </message>
    <message>
        <source>risk</source>
        <comment>credit grade or compliance</comment>
        <translation>风险</translation>
    </message>
    <message>
        <source>compliant</source>
        <comment>compliance</comment>
        <translation>合规</translation>
    </message>
    <message>
        <source>watch</source>
        <comment>compliance</comment>
        <translation>关注</translation>
    </message>
    <message>
        <source>name</source>
        <comment>personal data</comment>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <comment>personal data</comment>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>phone</source>
        <comment>personal data</comment>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>account number</source>
        <comment>personal data</comment>
        <translation>账号</translation>
    </message>
    <message>
        <source>customer name</source>
        <comment>personal data</comment>
        <translation>客户姓名</translation>
    </message>
    <message>
        <source>customer age</source>
        <comment>checklist fact</comment>
        <translation>客户年龄</translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>not a user of this branch</source>
        <translation>不是本网点的用户</translation>
    </message>
    <message>
        <source>not an open complaint of this branch</source>
        <translation>不是本网点处理中的投诉</translation>
    </message>
    <message>
        <source>before the clock started</source>
        <translation>早于计时开始日期</translation>
    </message>
    <message>
        <source>before the last pause ended</source>
        <translation>早于上次暂停结束日期</translation>
    </message>
    <message>
        <source>before the pause began</source>
        <translation>早于暂停开始日期</translation>
    </message>
    <message>
        <source>a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)</source>
        <translation>应为日期（YYYY-MM-DD）或日期时间（YYYY-MM-DDTHH:MM）</translation>
    </message>
    <message>
        <source>at most {count} extensions</source>
        <translation>最多延期 {count} 次</translation>
    </message>
    <message>
        <source>{minimum} to {maximum} capital letters or digits</source>
        <translation>{minimum} 至 {maximum} 位大写字母或数字</translation>
    </message>
    <message>
        <source>cannot be read ({detail})</source>
        <translation>无法读取（{detail}）</translation>
    </message>
    <message>
        <source>not a SQLite database</source>
        <translation>不是 SQLite 数据库</translation>
    </message>
    <message>
        <source>the integrity check failed ({detail})</source>
        <translation>完整性检查未通过（{detail}）</translation>
    </message>
    <message>
        <source>the BranchDesk tables are missing</source>
        <translation>缺少 BranchDesk 数据表</translation>
    </message>
    <message>
        <source>no schema revision</source>
        <translation>没有数据库结构版本</translation>
    </message>
    <message>
        <source>at least one letter and one digit</source>
        <translation>须至少包含一个字母和一个数字</translation>
    </message>
    <message>
        <source>must differ from the current password</source>
        <translation>不能与当前密码相同</translation>
    </message>
    <message>
        <source>8 digits then 10 digits or capital letters (no I, O, S, V, Z)</source>
        <translation>前 8 位为数字，后 10 位为数字或大写字母（不含 I、O、S、V、Z）</translation>
    </message>
    <message>
        <source>yes or no</source>
        <translation>是或否</translation>
    </message>
    <message>
        <source>neither UTF-8 nor GBK text</source>
        <translation>既不是 UTF-8 也不是 GBK 编码的文本</translation>
    </message>
    <message>
        <source>more fields than the header</source>
        <translation>字段数多于表头</translation>
    </message>
    <message>
        <source>fewer fields than the header</source>
        <translation>字段数少于表头</translation>
    </message>
    <message>
        <source>unknown outcome '{outcome}'</source>
        <translation>未知的办理结果“{outcome}”</translation>
    </message>
    <message>
        <source>the rank of {business_type} must be a whole number</source>
        <translation>{business_type} 的顺序须为整数</translation>
    </message>
    <message>
        <source>a quote opened on this line is not closed</source>
        <translation>本行开始的引号没有闭合</translation>
    </message>
    <message>
        <source>line {line}: {detail}</source>
        <translation>第 {line} 行：{detail}</translation>
    </message>
    <message>
        <source>a customer cannot be merged into itself</source>
        <translation>客户不能与自身合并</translation>
    </message>
    <message>
        <source>this customer was already merged</source>
        <translation>该客户已被合并</translation>
    </message>
    <message>
        <source>resident ID or credit code</source>
        <translation>居民身份证或统一社会信用代码</translation>
    </message>
    <message>
        <source>no such setting</source>
        <translation>没有此参数</translation>
    </message>
    <message>
        <source>set on each workstation, not for the branch</source>
        <translation>此参数在各工作站单独设置，不属于网点统一参数</translation>
    </message>
    <message>
        <source>must rise: gold ≤ platinum ≤ diamond</source>
        <translation>须逐级递增：金卡 ≤ 白金 ≤ 钻石</translation>
    </message>
    <message>
        <source>'{kind}' is not supported (sqlite or postgresql)</source>
        <translation>不支持“{kind}”（仅支持 sqlite 或 postgresql）</translation>
    </message>
    <message>
        <source>schema revision {revision} is unknown to this version</source>
        <translation>本版本无法识别数据库结构版本 {revision}</translation>
    </message>
    <message>
        <source>the audit log's protecting triggers are missing ({names})</source>
        <translation>审计日志的保护触发器缺失（{names}）</translation>
    </message>
    <message>
        <source>the folder {folder} does not exist</source>
        <translation>文件夹 {folder} 不存在</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>须为以下之一：{choices}</translation>
    </message>
    <message>
        <source>prefix {prefix} has used all {count} numbers today</source>
        <translation>前缀 {prefix} 今日的 {count} 个号码已用完</translation>
    </message>
    <message>
        <source>user {user} already exists</source>
        <translation>用户 {user} 已存在</translation>
    </message>
    <message>
        <source>branch {branch} already exists</source>
        <translation>网点 {branch} 已存在</translation>
    </message>
    <message>
        <source>older than {days} days</source>
        <translation>已超过 {days} 天，须重新办理</translation>
    </message>
    <message>
        <source>missing columns: {columns}</source>
        <translation>缺少列：{columns}</translation>
    </message>
    <message>
        <source>Something went wrong (reference {ref}). The details are in the log file.</source>
        <translation>出现错误（编号 {ref}），详细信息见日志文件。</translation>
    </message>
</context>
<context>
    <name>EvaluatorWindow</name>
    <message>
        <source>Customer evaluator — {counter}</source>
        <extracomment>How long the thanks stay on screen before the welcome returns. How long the question waits for a customer who walks away without rating. What a read brings: the counter's newest unrated finish and the ticket now at the counter.</extracomment>
        <translation>客户评价器 — {counter}</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <source>We are glad to serve you.</source>
        <translation>很高兴为您服务。</translation>
    </message>
    <message>
        <source>Please rate our service</source>
        <translation>请对本次服务进行评价</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>感谢您的评价！</translation>
    </message>
    <message>
        <source>Have a nice day.</source>
        <translation>祝您生活愉快。</translation>
    </message>
    <message>
        <source>Ticket {number}</source>
        <translation>{number} 号</translation>
    </message>
</context>
<context>
    <name>FieldInputs</name>
    <message>
        <source>18-character resident ID number</source>
        <extracomment>Dates read the same in both languages and cannot be misread (the English locale's short format is 12/9/26: the 9th of December or the 12th of September?). 18 characters: 17 digits and a digit or X (lower case x is taken and stored upper case). Digits and what people write between them: +86 138-1234 1234, (010) 6512 3456. The unified social credit code: 18 digits and capital letters.</extracomment>
        <translation>18位居民身份证号码</translation>
    </message>
    <message>
        <source>Mobile, or landline with area code</source>
        <translation>手机号，或带区号的固定电话</translation>
    </message>
    <message>
        <source>18-character unified social credit code</source>
        <translation>18位统一社会信用代码</translation>
    </message>
</context>
<context>
    <name>FinishDialog</name>
    <message>
        <source>Finish service</source>
        <translation>办结业务</translation>
    </message>
    <message>
        <source>Finish serving {number}.</source>
        <translation>办结 {number} 号的业务。</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>办理结果：</translation>
    </message>
    <message>
        <source>What was done, what is missing, what was agreed…</source>
        <translation>已办事项、缺少材料、约定事项…</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>The note is limited to {count} characters.</source>
        <translation>备注最多 {count} 个字符。</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <source>Arrivals and customers served per hour</source>
        <extracomment>Category labels shrink to this size (pixels) before Qt would cut them to "5…".</extracomment>
        <translation>每小时取号与办结</translation>
    </message>
    <message>
        <source>Arrivals today</source>
        <translation>今日取号</translation>
    </message>
    <message>
        <source>Served today</source>
        <translation>今日办结</translation>
    </message>
    <message>
        <source>Usual arrivals (same weekday)</source>
        <translation>往常取号（同一星期几）</translation>
    </message>
    <message>
        <source>Usually served (same weekday)</source>
        <translation>往常办结（同一星期几）</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <source>Cancelling after the current batch…</source>
        <translation>当前批次完成后取消…</translation>
    </message>
    <message>
        <source>Imported {imported}, rejected {rejected}.</source>
        <translation>已导入 {imported} 条，拒绝 {rejected} 条。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Reasons are in {file}.</source>
        <translation>拒绝原因见 {file}。</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
</context>
<context>
    <name>KioskScreens</name>
    <message>
        <source>Ticket kiosk — {branch}</source>
        <translation>取号机 — {branch}</translation>
    </message>
    <message>
        <source>Please choose your service</source>
        <translation>请选择业务</translation>
    </message>
    <message>
        <source>Touch a service to take a number.</source>
        <translation>点击业务即可取号。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Aged {age} and over? Enter your ID number for priority service</source>
        <translation>{age} 岁及以上客户点此优先办理</translation>
    </message>
    <message>
        <source>Have a booking? Check in here</source>
        <translation>已预约？请在此签到</translation>
    </message>
    <message>
        <source>18-character ID number</source>
        <translation>18 位身份证号码</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Enter your resident ID number</source>
        <translation>请输入居民身份证号码</translation>
    </message>
    <message>
        <source>Customers aged {age} and over are served through the green channel. The number is used only to issue this ticket and is not shown on it.</source>
        <translation>{age} 岁及以上客户走绿色通道优先办理。身份证号码仅用于本次取号，不会打印在号票上。</translation>
    </message>
    <message>
        <source>6-digit booking code</source>
        <translation>6 位预约码</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Enter your booking code</source>
        <translation>请输入预约码</translation>
    </message>
    <message>
        <source>You received the code when you booked. Checking in on time gives you priority.</source>
        <translation>预约时您已收到预约码。按时签到可优先办理。</translation>
    </message>
    <message>
        <source>Your number</source>
        <translation>您的号码</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>This kiosk is not signed in. Please ask our staff for a ticket.</source>
        <extracomment>A ticket was issued (TicketView). The slip of the last ticket was sent to the printer (True) or could not be printed (False).</extracomment>
        <translation>本机未登录，请向工作人员取号。</translation>
    </message>
    <message>
        <source>Please check the ID number and try again.</source>
        <translation>请核对身份证号码后重试。</translation>
    </message>
    <message>
        <source>Priority service is for customers aged {age} and over. Please choose your service.</source>
        <translation>优先服务适用于 {age} 岁及以上客户。请选择业务。</translation>
    </message>
    <message>
        <source>ID {masked}: priority service. Please choose your service.</source>
        <translation>身份证 {masked}：优先办理。请选择业务。</translation>
    </message>
    <message>
        <source>A booking code has 6 digits.</source>
        <translation>预约码为 6 位数字。</translation>
    </message>
    <message>
        <source>A ticket could not be issued. Please ask our staff. {detail}</source>
        <translation>暂时无法取号，请咨询工作人员。{detail}</translation>
    </message>
    <message>
        <source>Green channel: priority service</source>
        <translation>绿色通道：优先办理</translation>
    </message>
    <message>
        <source>Booking checked in: priority service</source>
        <translation>预约已签到：优先办理</translation>
    </message>
    <message>
        <source>Please watch the calling display.</source>
        <translation>请留意叫号屏。</translation>
    </message>
    <message>
        <source>You are next. Please watch the calling display.</source>
        <translation>下一位就是您，请留意叫号屏。</translation>
    </message>
    <message>
        <source>People ahead of you: {count}</source>
        <translation>您前面还有 {count} 人</translation>
    </message>
    <message>
        <source>Estimated wait: about {minutes} min</source>
        <translation>预计等候约 {minutes} 分钟</translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation>正在打印号票…</translation>
    </message>
    <message>
        <source>Your ticket could not be printed. Please remember your number {number}, or ask our staff.</source>
        <translation>号票未能打印，请记住您的号码 {number}，或咨询工作人员。</translation>
    </message>
    <message>
        <source>Please take your ticket below.</source>
        <translation>请在下方取走号票。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>VIP Gold</source>
        <translation>金卡贵宾</translation>
    </message>
    <message>
        <source>VIP Platinum</source>
        <translation>白金贵宾</translation>
    </message>
    <message>
        <source>VIP Diamond</source>
        <translation>钻石贵宾</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>Completed</source>
        <extracomment>Badge colours: green channel green, appointments blue, VIP tiers gold.</extracomment>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Partially completed</source>
        <translation>部分办结</translation>
    </message>
    <message>
        <source>Documents missing</source>
        <translation>材料不全</translation>
    </message>
    <message>
        <source>Referred elsewhere</source>
        <translation>已转介</translation>
    </message>
    <message>
        <source>Customer declined</source>
        <translation>客户放弃</translation>
    </message>
    <message>
        <source>System unavailable</source>
        <translation>系统故障</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>临时休息</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Cash handover</source>
        <translation>现金交接</translation>
    </message>
    <message>
        <source>By original arrival time</source>
        <translation>按原到达时间</translation>
    </message>
    <message>
        <source>At the front of the queue</source>
        <translation>排在队首</translation>
    </message>
    <message>
        <source>At the end of the queue</source>
        <translation>排在队尾</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>服务中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Counter {number}</source>
        <translation>{number}号窗口</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language of BranchDesk on this workstation.</source>
        <translation>本工作站上网点服务台使用的语言。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>&lt;h2&gt;Workstation locked&lt;/h2&gt;&lt;p&gt;Signed in: {name}&lt;/p&gt;</source>
        <extracomment>Workstation roles that never lock: public screens on which nobody is signed in.</extracomment>
        <translation>&lt;h2&gt;工作站已锁定&lt;/h2&gt;&lt;p&gt;当前登录：{name}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>S&amp;witch user</source>
        <translation>切换用户(&amp;W)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>BranchDesk — sign in</source>
        <translation>网点服务台 — 登录</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>The database could not be opened: {error}
Details are in {log}.</source>
        <translation>无法打开数据库：{error}
详细信息见 {log}。</translation>
    </message>
    <message>
        <source>No branch is set up for this workstation. Start with --demo, or create one with 'branchdesk-admin branch add' and set the branch in the settings.</source>
        <translation>本工作站尚未设置网点。请使用 --demo 启动，或用“branchdesk-admin branch add”创建网点并在设置中指定。</translation>
    </message>
    <message>
        <source>BranchDesk ended abnormally last time (after {time}); details are in {log}.</source>
        <translation>BranchDesk 上次运行异常结束（{time} 之后）；详情见 {log}。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>BranchDesk — {branch}</source>
        <extracomment>"Switch user" was chosen (File menu or lock screen); the session closes this window.</extracomment>
        <translation>网点服务台 — {branch}</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>大堂看板</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>业务核对</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name}（{role}）</translation>
    </message>
    <message>
        <source>Teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>Lobby manager</source>
        <translation>大堂经理</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>网点主管</translation>
    </message>
    <message>
        <source>Customer manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Wealth manager</source>
        <translation>理财经理</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Setup &amp;wizard…</source>
        <translation>设置向导(&amp;W)…</translation>
    </message>
    <message>
        <source>S&amp;witch user…</source>
        <translation>切换用户(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Lock workstation</source>
        <translation>锁定工作站(&amp;L)</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About BranchDesk</source>
        <translation>关于网点服务台(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Customer &amp;evaluator</source>
        <translation>客户评价器(&amp;E)</translation>
    </message>
    <message>
        <source>Lobby &amp;dashboard (full screen)</source>
        <translation>大堂看板（全屏）(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Book &amp;appointment…</source>
        <translation>预约登记(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Counter services…</source>
        <translation>窗口业务配置(&amp;C)…</translation>
    </message>
    <message>
        <source>Branch &amp;reports…</source>
        <translation>网点报表(&amp;R)…</translation>
    </message>
    <message>
        <source>Checklist &amp;templates…</source>
        <translation>核对单模板(&amp;T)…</translation>
    </message>
    <message>
        <source>Audit &amp;log…</source>
        <translation>审计日志(&amp;L)…</translation>
    </message>
    <message>
        <source>Branch &amp;settings…</source>
        <translation>网点参数(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Reset password or unlock…</source>
        <translation>重置密码或解锁(&amp;R)…</translation>
    </message>
    <message>
        <source>About BranchDesk</source>
        <translation>关于网点服务台</translation>
    </message>
    <message>
        <source>BranchDesk {version}
Queue, customers, checklists and complaints for bank branches.</source>
        <translation>网点服务台 {version}
面向银行网点的排队叫号、客户、业务清单与投诉管理。</translation>
    </message>
    <message>
        <source>● Connected</source>
        <translation>● 已连接</translation>
    </message>
    <message>
        <source>● Not connected</source>
        <translation>● 未连接</translation>
    </message>
</context>
<context>
    <name>MaskedValue</name>
    <message>
        <source>Reveal…</source>
        <translation>查看完整信息…</translation>
    </message>
    <message>
        <source>masked again in {seconds} s</source>
        <extracomment>Counts the seconds until the value is masked again, shown beside it.</extracomment>
        <translation>{seconds} 秒后重新遮蔽</translation>
    </message>
</context>
<context>
    <name>MatrixEditor</name>
    <message>
        <source>Counter services</source>
        <translation>窗口业务配置</translation>
    </message>
    <message>
        <source>Counter:</source>
        <translation>窗口：</translation>
    </message>
    <message>
        <source>Serves</source>
        <translation>办理</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>Business type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Rank 0 is called first. Business types with the same rank are called together, by priority and then arrival. Changes apply from the counter's next call.</source>
        <translation>顺序为 0 的业务最先叫号；顺序相同的业务一起排队，按优先级再按到达时间叫号。修改自该窗口下一次叫号起生效。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>Save the changes to the previous counter first?</source>
        <translation>是否先保存对上一个窗口的修改？</translation>
    </message>
    <message>
        <source>This counter will only call tickets transferred to it.</source>
        <translation>此窗口只会呼叫转移到本窗口的号码。</translation>
    </message>
    <message>
        <source>Saved. Counter {counter} uses this from its next call.</source>
        <translation>已保存。{counter} 号窗口自下一次叫号起生效。</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Duplicate records</source>
        <translation>重复客户资料</translation>
    </message>
    <message>
        <source>same ID number</source>
        <extracomment>After a merge: the record kept.</extracomment>
        <translation>证件号码相同</translation>
    </message>
    <message>
        <source>same name and phone</source>
        <translation>姓名和电话相同</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>资料编号</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>No other record has this ID number, or this name and one of these phones.</source>
        <translation>没有其他资料与本客户证件号码相同，或姓名相同且电话相同。</translation>
    </message>
    <message>
        <source>This record</source>
        <translation>本资料</translation>
    </message>
    <message>
        <source>The other record</source>
        <translation>另一份资料</translation>
    </message>
    <message>
        <source>Keep this record</source>
        <translation>保留本资料</translation>
    </message>
    <message>
        <source>Keep the other record</source>
        <translation>保留另一份资料</translation>
    </message>
    <message>
        <source>Why these are one customer (kept in the audit log)</source>
        <translation>为何认定为同一客户（记入审计日志）</translation>
    </message>
    <message>
        <source>I have checked both records: the merge cannot be undone</source>
        <translation>我已核对两份资料：合并后无法撤销</translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <source>Records that may be the same customer as {name}:</source>
        <translation>可能与 {name} 为同一客户的资料：</translation>
    </message>
    <message>
        <source>Merge records</source>
        <translation>合并客户资料</translation>
    </message>
    <message>
        <source>Merge record {drop} into record {keep}? Its visits, notes, accounts, follow-ups and complaints move to record {keep}, and record {drop} is closed. This cannot be undone.</source>
        <translation>将资料 {drop} 合并到资料 {keep}？其到访记录、备注、账户、回访和投诉将转到资料 {keep}，资料 {drop} 随即关闭。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Merge for good</source>
        <translation>确定合并</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Record:</source>
        <translation>资料编号：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>证件号码：</translation>
    </message>
    <message>
        <source>Phones:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Accounts:</source>
        <translation>账户：</translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation>等级：</translation>
    </message>
    <message>
        <source>Visits:</source>
        <translation>到访次数：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注数：</translation>
    </message>
</context>
<context>
    <name>ParkedBox</name>
    <message>
        <source>Parked</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Called at</source>
        <translation>叫号时间</translation>
    </message>
    <message>
        <source>Resume selected</source>
        <translation>恢复选中</translation>
    </message>
    <message>
        <source>No parked tickets.</source>
        <translation>没有挂起的号码。</translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <source>Pause counter</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Pause {counter}: no tickets are called here until you resume.</source>
        <translation>暂停 {counter}：恢复服务前本窗口不再叫号。</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>e.g. back at 14:30</source>
        <translation>例如：14:30 回来</translation>
    </message>
    <message>
        <source>Note (optional):</source>
        <translation>备注（可选）：</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停服务</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Print preview — {title}</source>
        <extracomment>A slip is narrow: show it at a readable fixed zoom instead of stretching it to the window. Emitted with each print job this dialog starts.</extracomment>
        <translation>打印预览 — {title}</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Page {current} of {total}</source>
        <translation>第 {current} / {total} 页</translation>
    </message>
    <message>
        <source>The document could not be displayed.</source>
        <translation>无法显示该文档。</translation>
    </message>
    <message>
        <source>Print {title}</source>
        <translation>打印{title}</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Printing page {done} of {total}…</source>
        <translation>正在打印第 {done} / {total} 页…</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>The file could not be saved:
{reason}</source>
        <translation>无法保存文件：
{reason}</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}</translation>
    </message>
</context>
<context>
    <name>PreviewBox</name>
    <message>
        <source>Next at this counter (F1)</source>
        <translation>本窗口待叫号(F1)</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Waited (min)</source>
        <translation>已等(分)</translation>
    </message>
    <message>
        <source>Est. wait (min)</source>
        <translation>预计等候(分)</translation>
    </message>
    <message>
        <source>Call selected ticket…</source>
        <translation>指定叫号…</translation>
    </message>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation>本窗口暂无等候客户。</translation>
    </message>
</context>
<context>
    <name>PrintJob</name>
    <message>
        <source>The document to print could not be read.</source>
        <extracomment>Rendering resolution cap: thermal heads are 203 dpi, and 300 dpi text is crisp on a laser while an A4 page stays ~35 MB in memory (1200 dpi would be ~550 MB).</extracomment>
        <translation>无法读取要打印的文档。</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>The printer refused a new page.</source>
        <translation>打印机拒绝了新页面。</translation>
    </message>
    <message>
        <source>A page could not be rendered for printing.</source>
        <translation>有一页无法渲染打印。</translation>
    </message>
    <message>
        <source>Printing failed because of an unexpected error; see the log.</source>
        <translation>打印因意外错误失败，详见日志。</translation>
    </message>
    <message>
        <source>The printer “{name}” is not available.</source>
        <translation>打印机“{name}”不可用。</translation>
    </message>
    <message>
        <source>No printer is installed on this computer.</source>
        <translation>本机未安装打印机。</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsWidget</name>
    <message>
        <source>{width} mm</source>
        <extracomment>Item data of the "System default" entry (PrinterChoice stores "" for it).</extracomment>
        <translation>{width} 毫米</translation>
    </message>
    <message>
        <source>Ticket slip printer:</source>
        <translation>号票打印机：</translation>
    </message>
    <message>
        <source>Slip paper width:</source>
        <translation>号票纸宽：</translation>
    </message>
    <message>
        <source>A4 printer:</source>
        <translation>A4 打印机：</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>{name} (not available)</source>
        <translation>{name}（不可用）</translation>
    </message>
</context>
<context>
    <name>PrintersPage</name>
    <message>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Ticket slips go to the slip printer; forms and letters to the A4 printer.</source>
        <translation>号票由号票打印机打印；表单和函件由 A4 打印机打印。</translation>
    </message>
</context>
<context>
    <name>ProfileView</name>
    <message>
        <source>Change record…</source>
        <extracomment>Show another customer's profile (the record kept by a merge).</extracomment>
        <translation>修改资料…</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>变更记录…</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>身份信息</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Record review…</source>
        <translation>登记复核…</translation>
    </message>
    <message>
        <source>Duplicates…</source>
        <translation>重复资料…</translation>
    </message>
    <message>
        <source>Relationship manager…</source>
        <translation>客户经理…</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号票</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>New note</source>
        <translation>新备注</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <source>Plan follow-up</source>
        <translation>安排回访</translation>
    </message>
    <message>
        <source>Open follow-ups</source>
        <translation>未完成回访</translation>
    </message>
    <message>
        <source>Accounts and cards</source>
        <translation>账户与银行卡</translation>
    </message>
    <message>
        <source>Visits (newest first)</source>
        <translation>到访记录（今日在前）</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>证件号码：</translation>
    </message>
    <message>
        <source>Note: region code not in the reference list</source>
        <translation>提示：地区码不在参考列表中</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>账户：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation>法定代表人：</translation>
    </message>
    <message>
        <source>Industry:</source>
        <translation>行业：</translation>
    </message>
    <message>
        <source>Enterprise size:</source>
        <translation>企业规模：</translation>
    </message>
    <message>
        <source>Business licence expires:</source>
        <translation>营业执照到期：</translation>
    </message>
    <message>
        <source>Relationship manager:</source>
        <translation>客户经理：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>due {due} (last {last})</source>
        <translation>{due} 到期（上次 {last}）</translation>
    </message>
    <message>
        <source>not scheduled</source>
        <translation>未安排</translation>
    </message>
    <message>
        <source>Periodic review:</source>
        <translation>定期复核：</translation>
    </message>
    <message>
        <source>Consent:</source>
        <translation>客户同意：</translation>
    </message>
    <message>
        <source>given on {day}: {covers}</source>
        <translation>{day} 同意：{covers}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未同意</translation>
    </message>
    <message>
        <source>Checklists done</source>
        <translation>已完成的业务核对</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Saved: {fields}.</source>
        <translation>已保存：{fields}。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Records merged into record {id}.</source>
        <translation>已合并到资料 {id}。</translation>
    </message>
    <message>
        <source>Review recorded; the next is due on {due}.</source>
        <translation>已登记复核，下次复核日期 {due}。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>account number</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
</context>
<context>
    <name>QueuePane</name>
    <message>
        <source>Issue a ticket</source>
        <extracomment>The waiting minutes shown in the list grow with time, not only with events. The list's column computed from the clock.</extracomment>
        <translation>取号</translation>
    </message>
    <message>
        <source>Issue ticket</source>
        <translation>取号</translation>
    </message>
    <message>
        <source>Print slip</source>
        <translation>打印号票</translation>
    </message>
    <message>
        <source>Preview slip…</source>
        <translation>预览号票…</translation>
    </message>
    <message>
        <source>Book appointment…</source>
        <translation>预约登记…</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候队列</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>取号时间</translation>
    </message>
    <message>
        <source>Waiting (min)</source>
        <translation>等候(分)</translation>
    </message>
    <message>
        <source>{number}: {ahead} ahead, served shortly</source>
        <translation>{number}：前面 {ahead} 人，即将办理</translation>
    </message>
    <message>
        <source>Ticket slip {number}</source>
        <translation>号票 {number}</translation>
    </message>
    <message>
        <source>Printing failed: {reason}</source>
        <translation>打印失败：{reason}</translation>
    </message>
    <message>
        <source>{number}: {ahead} ahead, about {minutes} min</source>
        <translation>{number}：前面 {ahead} 人，约 {minutes} 分钟</translation>
    </message>
    <message>
        <source>Ticket {number} issued.</source>
        <translation>已取号 {number}。</translation>
    </message>
    <message>
        <source>{count} waiting</source>
        <translation>{count} 人等候</translation>
    </message>
</context>
<context>
    <name>RatingBox</name>
    <message>
        <source>Customer's rating</source>
        <extracomment>Best to worst: green to red, so the colour says what the words say.</extracomment>
        <translation>客户评价</translation>
    </message>
    <message>
        <source>If the customer does not use the evaluator, enter their rating for {number}:</source>
        <translation>客户未使用评价器时，请录入其对 {number} 号服务的评价：</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Reason (optional):</source>
        <translation>原因（可选）：</translation>
    </message>
    <message>
        <source>The reason is recorded with the ticket's history.</source>
        <translation>原因将记入该号码的办理记录。</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Branch reports</source>
        <extracomment>(format, bytes) of each report produced</extracomment>
        <translation>网点报表</translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation>日报</translation>
    </message>
    <message>
        <source>Monthly report (month of the date)</source>
        <translation>月报（所选日期所在月份）</translation>
    </message>
    <message>
        <source>All branches</source>
        <translation>全部网点</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>预览…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在生成报表…</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>保存报表</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;CSV (*.csv);;Excel workbook (*.xlsx)</source>
        <translation>PDF (*.pdf);;CSV (*.csv);;Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>The file could not be saved: {reason}</source>
        <translation>文件无法保存：{reason}</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>The report could not be created: {error}</source>
        <translation>报表无法生成：{error}</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset password or unlock</source>
        <translation>重置密码或解锁账户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation>重置密码(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Unlock only</source>
        <translation>仅解锁(&amp;U)</translation>
    </message>
    <message>
        <source>The password of {user} was reset; the account is unlocked.</source>
        <translation>{user} 的密码已重置，账户已解锁。</translation>
    </message>
    <message>
        <source>{user} is unlocked.</source>
        <translation>{user} 已解锁。</translation>
    </message>
    <message>
        <source>{user} was not locked.</source>
        <translation>{user} 未被锁定。</translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <source>Reveal: {what}</source>
        <translation>查看完整{what}</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>查看完整信息</translation>
    </message>
    <message>
        <source>Why do you need the full {what}?</source>
        <translation>为什么需要查看完整{what}？</translation>
    </message>
    <message>
        <source>Why do you need the full value?</source>
        <translation>为什么需要查看完整信息？</translation>
    </message>
    <message>
        <source>Your name, the time and the reason are written to the audit log.</source>
        <translation>您的姓名、时间和原因将记入审计日志。</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Periodic review</source>
        <translation>定期复核</translation>
    </message>
    <message>
        <source>Review of {name}</source>
        <translation>复核 {name} 的资料</translation>
    </message>
    <message>
        <source>Confirmed:</source>
        <translation>已确认：</translation>
    </message>
    <message>
        <source>Update what changed with Change record… first; the review records what was checked.</source>
        <translation>如有变化请先用“修改资料…”更新；复核只记录核对了哪些内容。</translation>
    </message>
    <message>
        <source>Record review</source>
        <translation>登记复核</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Queue and calling</source>
        <translation>排队叫号</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Calling display</source>
        <translation>叫号屏</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Lobby dashboard</source>
        <translation>大堂看板</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Sign-in and passwords</source>
        <translation>登录与密码</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Waiting-time alert after</source>
        <translation>等候超时提醒时长</translation>
    </message>
    <message>
        <source>Normal tickets no longer passed over after</source>
        <translation>普通号等候保护时长</translation>
    </message>
    <message>
        <source>Recalls before a no-show</source>
        <translation>过号前重呼次数</translation>
    </message>
    <message>
        <source>Weight of the newest service in the average</source>
        <translation>最近一笔办理时长在平均值中的权重</translation>
    </message>
    <message>
        <source>Green channel from the age of</source>
        <translation>绿色通道起始年龄</translation>
    </message>
    <message>
        <source>Check-in allowed before the slot</source>
        <translation>预约可提前签到</translation>
    </message>
    <message>
        <source>Check-in allowed after the slot starts</source>
        <translation>预约开始后仍可签到</translation>
    </message>
    <message>
        <source>Scrolling notice</source>
        <translation>滚动公告</translation>
    </message>
    <message>
        <source>Notice on ticket slips</source>
        <translation>排队小票提示语</translation>
    </message>
    <message>
        <source>Bank name on slips and letters</source>
        <translation>小票及函件上的银行名称</translation>
    </message>
    <message>
        <source>Alert at this many waiting per open counter</source>
        <translation>每个开放窗口等候人数提醒阈值</translation>
    </message>
    <message>
        <source>Highlight as due soon within</source>
        <translation>临期提醒（剩余天数）</translation>
    </message>
    <message>
        <source>Wrong passwords in a row before lockout</source>
        <translation>连续输错密码锁定账户次数</translation>
    </message>
    <message>
        <source>Gold tier from a score of</source>
        <translation>金卡评分线</translation>
    </message>
    <message>
        <source>Platinum tier from a score of</source>
        <translation>白金评分线</translation>
    </message>
    <message>
        <source>Diamond tier from a score of</source>
        <translation>钻石评分线</translation>
    </message>
    <message>
        <source>Satisfaction goal</source>
        <translation>满意度目标</translation>
    </message>
    <message>
        <source>Weeks averaged for the usual day</source>
        <translation>常态对比取前几周</translation>
    </message>
    <message>
        <source>Decision deadline</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <source>Deadline after the first extension</source>
        <translation>首次延期后的时限</translation>
    </message>
    <message>
        <source>Longest deadline (second extension)</source>
        <translation>最长时限（第二次延期）</translation>
    </message>
    <message>
        <source>Period to ask for a review</source>
        <translation>申请复核期限</translation>
    </message>
    <message>
        <source>Reference number prefix</source>
        <translation>投诉编号前缀</translation>
    </message>
    <message>
        <source>Keep a locked account locked for</source>
        <translation>账户锁定时长</translation>
    </message>
    <message>
        <source>Minimum password length</source>
        <translation>密码最短长度</translation>
    </message>
    <message>
        <source>Passwords need a letter and a digit</source>
        <translation>密码须同时包含字母和数字</translation>
    </message>
    <message>
        <source>Lock an idle workstation after (0: never)</source>
        <translation>工作站空闲自动锁屏（0 为不锁屏）</translation>
    </message>
    <message>
        <source>Show revealed data for</source>
        <translation>明文显示时长</translation>
    </message>
    <message>
        <source>Review customer records every</source>
        <translation>客户资料复核周期</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source> weeks</source>
        <translation> 周</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 岁</translation>
    </message>
    <message>
        <source> recalls</source>
        <translation> 次</translation>
    </message>
    <message>
        <source> attempts</source>
        <translation> 次</translation>
    </message>
    <message>
        <source> times</source>
        <translation> 次</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <source> people</source>
        <translation> 人</translation>
    </message>
    <message>
        <source> points</source>
        <translation> 分</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>set for the branch</source>
        <translation>网点统一</translation>
    </message>
    <message>
        <source>this workstation's file</source>
        <translation>本机设置</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>environment variable</source>
        <translation>环境变量</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>BranchDesk setup</source>
        <translation>网点服务台设置</translation>
    </message>
    <message>
        <source>The settings are saved. Changes to the language, database or branch take effect when BranchDesk starts again.</source>
        <translation>设置已保存。语言、数据库或网点的修改将在网点服务台重新启动后生效。</translation>
    </message>
    <message>
        <source>Test the connection to the database first.</source>
        <translation>请先测试数据库连接。</translation>
    </message>
    <message>
        <source>The branch code must be 1 to 32 characters without spaces.</source>
        <translation>网点代码须为 1 至 32 个字符，不含空格。</translation>
    </message>
    <message>
        <source>Enter the branch name.</source>
        <translation>请输入网点名称。</translation>
    </message>
    <message>
        <source>The bank's name may have at most {max} characters.</source>
        <translation>银行名称最多 {max} 个字符。</translation>
    </message>
    <message>
        <source>Choose what this workstation is used for.</source>
        <translation>请选择本工作站的用途。</translation>
    </message>
    <message>
        <source>The counter number must be between 1 and {counters}.</source>
        <translation>窗口号须在 1 至 {counters} 之间。</translation>
    </message>
    <message>
        <source>The slip width must be one of {widths} mm.</source>
        <translation>号票纸宽须为 {widths} 毫米之一。</translation>
    </message>
    <message>
        <source>Enter the supervisor's name.</source>
        <translation>请输入网点主管姓名。</translation>
    </message>
    <message>
        <source>The password needs at least {min} characters.</source>
        <translation>密码至少需要 {min} 个字符。</translation>
    </message>
    <message>
        <source>Enter the bank's name as customers see it on slips and letters.</source>
        <translation>请输入银行名称（客户在号票和函件上看到的名称）。</translation>
    </message>
    <message>
        <source>A branch must have 1 to {max} counters.</source>
        <translation>网点窗口数须为 1 至 {max} 个。</translation>
    </message>
    <message>
        <source>The user name may contain only letters, digits, '.' and '_'.</source>
        <translation>用户名只能包含字母、数字、“.”和“_”。</translation>
    </message>
    <message>
        <source>The passwords do not match.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>The password needs letters and digits.</source>
        <translation>密码须同时包含字母和数字。</translation>
    </message>
    <message>
        <source>Choose a language.</source>
        <translation>请选择语言。</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version} at {host}, database {database}.</source>
        <translation>已连接到 {host} 上的 PostgreSQL {version}，数据库 {database}。</translation>
    </message>
    <message>
        <source>This is not a valid database URL. Write it as postgresql://user:password@server:5432/database.</source>
        <translation>数据库地址无效。请按 postgresql://user:password@server:5432/database 格式填写。</translation>
    </message>
    <message>
        <source>Only PostgreSQL is supported for a shared database (the URL names {detail}).</source>
        <translation>共享数据库仅支持 PostgreSQL（该地址指向 {detail}）。</translation>
    </message>
    <message>
        <source>The server name {host} is not known. Check the spelling, or use its IP address.</source>
        <translation>无法识别服务器名 {host}。请检查拼写，或改用其 IP 地址。</translation>
    </message>
    <message>
        <source>Nothing answers at {host} port {port}. Check that PostgreSQL runs there and accepts connections from this computer (listen_addresses, firewall).</source>
        <translation>{host} 的 {port} 端口无响应。请确认该服务器上 PostgreSQL 正在运行并接受本机连接（listen_addresses、防火墙）。</translation>
    </message>
    <message>
        <source>{host} port {port} did not answer in time. Check the address and the firewall.</source>
        <translation>{host} 的 {port} 端口响应超时。请检查地址和防火墙。</translation>
    </message>
    <message>
        <source>The server refused the user name or password.</source>
        <translation>服务器拒绝了该用户名或密码。</translation>
    </message>
    <message>
        <source>The server has no database {database}. Ask the administrator to create it.</source>
        <translation>服务器上没有数据库 {database}。请联系管理员创建。</translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation>连接失败。</translation>
    </message>
    <message>
        <source>Details: {detail}</source>
        <translation>详细信息：{detail}</translation>
    </message>
</context>
<context>
    <name>StartupScreen</name>
    <message>
        <source>Connecting to the database…</source>
        <extracomment>Roles whose monitor shows the public or lobby window full screen.</extracomment>
        <translation>正在连接数据库…</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Recorded in the complaint's history with your name and the time.</source>
        <translation>将连同您的姓名和时间记入投诉处理记录。</translation>
    </message>
</context>
<context>
    <name>StepEditor</name>
    <message>
        <source>Next step</source>
        <translation>当前事项</translation>
    </message>
    <message>
        <source>Complete step</source>
        <translation>完成此项</translation>
    </message>
    <message>
        <source>Skip…</source>
        <translation>跳过…</translation>
    </message>
    <message>
        <source>Supervisor override…</source>
        <translation>主管授权…</translation>
    </message>
    <message>
        <source>No steps left to do.</source>
        <translation>没有待办事项。</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必做</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>选做</translation>
    </message>
    <message>
        <source>Rule: {rule}</source>
        <translation>依据：{rule}</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已办妥</translation>
    </message>
    <message>
        <source>Original document seen and checked</source>
        <translation>已核验原件</translation>
    </message>
    <message>
        <source>Customer signed on paper</source>
        <translation>客户已在纸质凭证上签字</translation>
    </message>
    <message>
        <source>Date, e.g. 2026-03-01</source>
        <translation>日期，例如 2026-03-01</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Supervisor confirms…</source>
        <translation>主管确认…</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Ready</source>
        <translation>准备就绪</translation>
    </message>
    <message>
        <source>Changes to the language, database or branch take effect when BranchDesk starts again.</source>
        <translation>语言、数据库或网点的修改将在网点服务台重新启动后生效。</translation>
    </message>
    <message>
        <source>counter {number}</source>
        <translation>{number} 号窗口</translation>
    </message>
    <message>
        <source>Click Finish to set up the database and save these settings.</source>
        <translation>点击“完成”将初始化数据库并保存以下设置。</translation>
    </message>
    <message>
        <source>lobby manager's desk</source>
        <translation>大堂经理台</translation>
    </message>
    <message>
        <source>calling display</source>
        <translation>叫号屏</translation>
    </message>
    <message>
        <source>ticket kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>lobby dashboard</source>
        <translation>大堂看板</translation>
    </message>
    <message>
        <source>system default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Language: {language}</source>
        <translation>语言：{language}</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>数据库：{database}</translation>
    </message>
    <message>
        <source>local, {path}</source>
        <translation>本机，{path}</translation>
    </message>
    <message>
        <source>Branch: {code} {name} (existing)</source>
        <translation>网点：{code} {name}（已有）</translation>
    </message>
    <message>
        <source>Branch: {code} {name} (new; counters: {counters})</source>
        <translation>网点：{code} {name}（新建，{counters} 个窗口）</translation>
    </message>
    <message>
        <source>Bank name: {name}</source>
        <translation>银行名称：{name}</translation>
    </message>
    <message>
        <source>Workstation: {role}</source>
        <translation>工作站：{role}</translation>
    </message>
    <message>
        <source>Slip printer: {printer}, {width} mm</source>
        <translation>号票打印机：{printer}，{width} 毫米</translation>
    </message>
    <message>
        <source>A4 printer: {printer}</source>
        <translation>A4 打印机：{printer}</translation>
    </message>
    <message>
        <source>First supervisor: {username} ({name})</source>
        <translation>首位网点主管：{username}（{name}）</translation>
    </message>
    <message>
        <source>Setup failed; the settings were not saved. {error}
{reference}</source>
        <translation>设置失败，设置未保存。{error}
{reference}</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>e.g. ID card reader out of order, identity checked by hand</source>
        <translation>例如：读卡器故障，已人工核验身份</translation>
    </message>
    <message>
        <source>Supervisor user name:</source>
        <translation>主管用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>The supervisor, the reason and the time are recorded in the audit log.</source>
        <translation>授权主管、原因和时间将记入审计日志。</translation>
    </message>
</context>
<context>
    <name>SupervisorPage</name>
    <message>
        <source>First supervisor</source>
        <translation>首位网点主管</translation>
    </message>
    <message>
        <source>The database has no users yet. This account signs in first and creates the others.</source>
        <translation>数据库中还没有用户。此账户首先登录，并创建其他用户。</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Confirm password:</source>
        <translation>确认密码：</translation>
    </message>
    <message>
        <source>At least {min} characters.</source>
        <translation>至少 {min} 个字符。</translation>
    </message>
</context>
<context>
    <name>TellerConsole</name>
    <message>
        <source>Not connected to the database: calling and serving are paused until the connection is back.</source>
        <translation>数据库未连接：叫号与业务办理已暂停，连接恢复后即可继续。</translation>
    </message>
    <message>
        <source>Counter:</source>
        <translation>窗口：</translation>
    </message>
    <message>
        <source>Called {number} to counter {counter}.</source>
        <translation>请 {number} 号到 {counter} 号窗口办理业务。</translation>
    </message>
    <message>
        <source>Nobody is waiting.</source>
        <translation>暂无等候客户。</translation>
    </message>
    <message>
        <source>{number} transferred: {ahead} ahead, served shortly.</source>
        <translation>{number} 号已转移：前面 {ahead} 人，即将办理。</translation>
    </message>
    <message>
        <source>{number} transferred: {ahead} ahead, about {minutes} min.</source>
        <translation>{number} 号已转移：前面 {ahead} 人，约 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>Counter {counter} is open again.</source>
        <translation>{counter} 号窗口已恢复服务。</translation>
    </message>
    <message>
        <source>Counter {counter} is paused.</source>
        <translation>{counter} 号窗口已暂停服务。</translation>
    </message>
    <message>
        <source>{number} resumed.</source>
        <translation>{number} 号已恢复办理。</translation>
    </message>
    <message>
        <source>Select a ticket in the list first.</source>
        <translation>请先在列表中选择一个号码。</translation>
    </message>
    <message>
        <source>Rating for {number} recorded.</source>
        <translation>已记录 {number} 号的评价。</translation>
    </message>
    <message>
        <source>{number} called again.</source>
        <translation>已重呼 {number} 号。</translation>
    </message>
    <message>
        <source>Serving {number}.</source>
        <translation>开始办理 {number} 号。</translation>
    </message>
    <message>
        <source>{number} marked a no-show.</source>
        <translation>{number} 号已记为过号。</translation>
    </message>
    <message>
        <source>{number} is back in the queue.</source>
        <translation>{number} 号已重新排队。</translation>
    </message>
    <message>
        <source>{number} parked.</source>
        <translation>{number} 号已挂起。</translation>
    </message>
    <message>
        <source>{number} finished.</source>
        <translation>{number} 号已办结。</translation>
    </message>
    <message>
        <source>Call or finish a ticket first.</source>
        <translation>请先叫号或办结一笔业务。</translation>
    </message>
    <message>
        <source>Service receipt {number}</source>
        <translation>业务回单 {number}</translation>
    </message>
    <message>
        <source>Not possible while the database is not connected.</source>
        <translation>数据库未连接，暂不可操作。</translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <source>Checklist templates</source>
        <translation>核对单模板</translation>
    </message>
    <message>
        <source>Business type</source>
        <extracomment>A template belongs to a business type: shown by its name (个人开户), not its code.</extracomment>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>事项数</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>active</source>
        <translation>现行</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Open template file…</source>
        <translation>打开模板文件…</translation>
    </message>
    <message>
        <source>Open a template file to see how it differs from the active version.</source>
        <translation>打开模板文件，查看其与现行版本的差异。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Changes from the active version:</source>
        <translation>与现行版本相比的变更：</translation>
    </message>
    <message>
        <source>Open checklist template</source>
        <translation>打开核对单模板</translation>
    </message>
    <message>
        <source>Checklist templates (*.toml)</source>
        <translation>核对单模板 (*.toml)</translation>
    </message>
    <message>
        <source>{file} cannot be read: {error}</source>
        <translation>无法读取 {file}：{error}</translation>
    </message>
    <message>
        <source>Import {business} version {version}</source>
        <translation>导入 {business} 第 {version} 版</translation>
    </message>
    <message>
        <source>{file} is valid.</source>
        <translation>{file} 校验通过。</translation>
    </message>
    <message>
        <source>{business} version {version} imported; new checklists use it.</source>
        <translation>{business} 第 {version} 版已导入，新开始的核对将使用此版本。</translation>
    </message>
</context>
<context>
    <name>TicketCard</name>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours}小时{minutes:02d}分</translation>
    </message>
    <message>
        <source>{minutes} min {seconds:02d} s</source>
        <translation>{minutes}分{seconds:02d}秒</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>办理</translation>
    </message>
    <message>
        <source>No ticket at this counter</source>
        <translation>本窗口当前无客户</translation>
    </message>
    <message>
        <source>Press F1 to call the next customer.</source>
        <translation>按 F1 呼叫下一位客户。</translation>
    </message>
    <message>
        <source>The counter is not open: press F6 to resume.</source>
        <translation>窗口未开放：按 F6 恢复服务。</translation>
    </message>
    <message>
        <source>Serving since {time}</source>
        <translation>{time} 开始办理</translation>
    </message>
    <message>
        <source>Called at {time} ({count}×)</source>
        <translation>{time} 叫号（第 {count} 次）</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <source>Transfer {number} to another business type or counter. The customer keeps the number.</source>
        <translation>将 {number} 号转到其他业务或窗口，客户号码不变。</translation>
    </message>
    <message>
        <source>Same business type</source>
        <translation>原业务类型</translation>
    </message>
    <message>
        <source>Business type:</source>
        <translation>业务类型：</translation>
    </message>
    <message>
        <source>Any counter serving it</source>
        <translation>任一办理该业务的窗口</translation>
    </message>
    <message>
        <source>Counter:</source>
        <translation>窗口：</translation>
    </message>
    <message>
        <source>Place in queue:</source>
        <translation>排队位置：</translation>
    </message>
    <message>
        <source>e.g. needs a wealth adviser</source>
        <translation>例如：需理财经理协助</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Choose another business type, a counter, or both.</source>
        <translation>请选择其他业务类型或窗口，或两者都选。</translation>
    </message>
</context>
<context>
    <name>WaitChart</name>
    <message>
        <source>Waiting time today (minutes)</source>
        <translation>今日等候时长（分钟）</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
</context>
<context>
    <name>WorkstationPage</name>
    <message>
        <source>This workstation</source>
        <translation>本工作站</translation>
    </message>
    <message>
        <source>What this computer is used for.</source>
        <translation>本机的用途。</translation>
    </message>
    <message>
        <source>Lobby manager's desk</source>
        <translation>大堂经理台</translation>
    </message>
    <message>
        <source>Teller counter</source>
        <translation>柜台窗口（柜员）</translation>
    </message>
    <message>
        <source>Calling display (big screen)</source>
        <translation>叫号屏（大屏）</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>Lobby dashboard (big screen)</source>
        <translation>大堂看板（大屏）</translation>
    </message>
    <message>
        <source>Counter number:</source>
        <translation>窗口号：</translation>
    </message>
</context>
</TS>