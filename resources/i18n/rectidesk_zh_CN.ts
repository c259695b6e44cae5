<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>About</name>
        <message>
            <source>RectiDesk runs on 64-bit Windows 10 (version 1809) or later and on Windows 11. Windows 7, Windows 8 and 32-bit PCs cannot run it.</source>
            <translation>整改通需要 64 位 Windows 10（1809 版）或更新版本，或 Windows 11。Windows 7、Windows 8 和 32 位电脑无法运行本程序。</translation>
        </message>
    </context>
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About RectiDesk</source>
            <translation>关于整改通</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Data folder: %1</source>
            <translation>数据文件夹：%1</translation>
        </message>
        <message>
            <source>Open log folder</source>
            <translation>打开日志文件夹</translation>
        </message>
        <message>
            <source>RectiDesk %1</source>
            <translation>整改通 %1</translation>
        </message>
        <message>
            <source>The rectification ledger of the unit: tasks, supervision notices, evidence, reports, and signed package files exchanged with the city.</source>
            <translation>本单位的整改台账：整改任务、督办通知、佐证材料、整改报告，以及与市平台交换的签名数据包。</translation>
        </message>
    </context>
    <context>
        <name>AddUserDialog</name>
        <message>
            <source>Add a user</source>
            <translation>添加用户</translation>
        </message>
        <message>
            <source>Initial password</source>
            <translation>初始密码</translation>
        </message>
        <message>
            <source>My password</source>
            <translation>我的密码</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>责任科室</translation>
        </message>
        <message>
            <source>The two passwords differ. Please type them again.</source>
            <translation>两次输入的密码不一致，请重新输入。</translation>
        </message>
        <message>
            <source>Type it again</source>
            <translation>再输入一次</translation>
        </message>
        <message>
            <source>With a second user the program asks at start who is working. First set your own password, %1:</source>
            <translation>添加第二个用户后，每次启动都会询问由谁操作。%1，请先为你自己设置密码：</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>RectiDesk</source>
            <translation>整改通</translation>
        </message>
    </context>
    <context>
        <name>AppealDialog</name>
        <message>
            <source>Appeal against the %1: %2</source>
            <translation>对%1提出申诉：%2</translation>
        </message>
        <message>
            <source>Appeal to the city</source>
            <translation>向市平台申诉</translation>
        </message>
        <message>
            <source>Evidence (drag files here, or add them):</source>
            <translation>佐证材料（可把文件拖到这里，或点击添加）：</translation>
        </message>
        <message>
            <source>Facts and reasons of the appeal:</source>
            <translation>申诉的事实和理由：</translation>
        </message>
        <message>
            <source>File the appeal</source>
            <translation>提交申诉</translation>
        </message>
        <message>
            <source>The appeal travels to the city with the next export; its decision comes back with the city's feedback.</source>
            <translation>申诉随下一次报送上报市平台；市平台的答复随反馈包返回。</translation>
        </message>
    </context>
    <context>
        <name>Appeals</name>
        <message>
            <source>Appeal</source>
            <translation>申诉</translation>
        </message>
        <message>
            <source>Appeal evidence</source>
            <translation>申诉佐证</translation>
        </message>
        <message>
            <source>City's comment</source>
            <translation>市平台意见</translation>
        </message>
        <message>
            <source>File the appeal without files and describe the evidence in the reasons.</source>
            <translation>请不附文件提交申诉，在理由中说明佐证情况。</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>申诉不成立</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>This record names no task of the ledger, so files cannot be attached.</source>
            <translation>这条记录没有对应台账中的任务，不能附加文件。</translation>
        </message>
        <message>
            <source>Upheld</source>
            <translation>申诉成立</translation>
        </message>
        <message>
            <source>Waiting for the city's decision</source>
            <translation>待市平台答复</translation>
        </message>
        <message>
            <source>deduction</source>
            <translation>扣分</translation>
        </message>
        <message>
            <source>filed by</source>
            <translation>提出人</translation>
        </message>
        <message>
            <source>review result</source>
            <translation>审核结果</translation>
        </message>
        <message>
            <source>supervision notice</source>
            <translation>督办通知</translation>
        </message>
    </context>
    <context>
        <name>AskPassphraseDialog</name>
        <message>
            <source>Passphrase of the unit's signing key:</source>
            <translation>本单位签名密钥的密码：</translation>
        </message>
        <message>
            <source>Sign the report</source>
            <translation>签名报送包</translation>
        </message>
    </context>
    <context>
        <name>Attachments</name>
        <message>
            <source>Click a file to open it, or use “Save attachment as…”.</source>
            <translation>点击文件名即可打开，也可用“附件另存为…”保存一份。</translation>
        </message>
        <message>
            <source>Files sent by the city</source>
            <translation>市平台发来的附件</translation>
        </message>
        <message>
            <source>Save the city's attachment</source>
            <translation>保存市平台发来的附件</translation>
        </message>
        <message>
            <source>not received with the package</source>
            <translation>未随反馈包送达</translation>
        </message>
    </context>
    <context>
        <name>Background</name>
        <message>
            <source>Working…</source>
            <translation>正在处理…</translation>
        </message>
    </context>
    <context>
        <name>BackgroundJob</name>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
    </context>
    <context>
        <name>CrashDialog</name>
        <message>
            <source>Copy details</source>
            <translation>复制详细信息</translation>
        </message>
        <message>
            <source>Last lines of the log:</source>
            <translation>日志的最后几行：</translation>
        </message>
        <message>
            <source>Open log folder</source>
            <translation>打开日志文件夹</translation>
        </message>
        <message>
            <source>Something went wrong inside the program. Your data has not been changed by the failed action. The details below were written to the log file; please copy them and send them to technical support.</source>
            <translation>程序内部出错。出错的操作没有改动您的数据。下面的详细信息已写入日志文件，请复制后发送给技术支持人员。</translation>
        </message>
        <message>
            <source>The program ran into a problem</source>
            <translation>程序遇到问题</translation>
        </message>
        <message>
            <source>The program stopped unexpectedly the last time it ran. Your data is safe: every change was saved when it was made. Please copy the details below, or send the file %1 from the log folder, to technical support.</source>
            <translation>程序上次运行时意外退出。您的数据是安全的：每项修改在完成时都已保存。请复制下面的详细信息，或把日志文件夹中的文件 %1 发给技术支持。</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source> (reversed)</source>
            <translation>（已撤销）</translation>
        </message>
        <message>
            <source>%1 open red tasks put further points at risk…</source>
            <translation>%1 条未销号的红灯任务有继续扣分的风险…</translation>
        </message>
        <message>
            <source>Added that month</source>
            <translation>当月新增</translation>
        </message>
        <message>
            <source>All</source>
            <translation>任务总数</translation>
        </message>
        <message>
            <source>Awaiting sign-off by the city</source>
            <translation>已完成待审核销号</translation>
        </message>
        <message>
            <source>Awaiting two-person check</source>
            <translation>待双人核查</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已销号</translation>
        </message>
        <message>
            <source>Closed (signed off)</source>
            <translation>已销号</translation>
        </message>
        <message>
            <source>Closed that month</source>
            <translation>当月销号</translation>
        </message>
        <message>
            <source>Completion over the last 12 months</source>
            <translation>近12个月整改完成情况</translation>
        </message>
        <message>
            <source>Completion rate</source>
            <translation>整改完成率</translation>
        </message>
        <message>
            <source>Deductions and appeals</source>
            <translation>扣分与申诉</translation>
        </message>
        <message>
            <source>Evidence quality warnings</source>
            <translation>佐证质量提示</translation>
        </message>
        <message>
            <source>Green</source>
            <translation>绿灯</translation>
        </message>
        <message>
            <source>Green light</source>
            <translation>绿灯</translation>
        </message>
        <message>
            <source>Issued</source>
            <translation>下发日期</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Last report received</source>
            <translation>最近收到的报送</translation>
        </message>
        <message>
            <source>No deduction from the city.</source>
            <translation>市平台没有下发扣分。</translation>
        </message>
        <message>
            <source>Nodes done</source>
            <translation>节点完成</translation>
        </message>
        <message>
            <source>Nodes due soon</source>
            <translation>临期节点</translation>
        </message>
        <message>
            <source>Nodes due within %s days</source>
            <translation>%s 天内到期节点</translation>
        </message>
        <message>
            <source>Notices awaiting response</source>
            <translation>待反馈督办通知</translation>
        </message>
        <message>
            <source>Overdue nodes</source>
            <translation>逾期节点</translation>
        </message>
        <message>
            <source>Points</source>
            <translation>分值</translation>
        </message>
        <message>
            <source>Pre-deductions %1 points, deductions %2 points (reversed, not counted: %3 points). Appeals awaiting the city's answer: %4.</source>
            <translation>预扣分 %1 分，扣分 %2 分（已撤销、不计：%3 分）。待市平台答复的申诉：%4 件。</translation>
        </message>
        <message>
            <source>Re-checks (回头看) due</source>
            <translation>回头看到期</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Rectification tasks</source>
            <translation>整改任务总数</translation>
        </message>
        <message>
            <source>Red</source>
            <translation>红灯</translation>
        </message>
        <message>
            <source>Red light</source>
            <translation>红灯</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>科室</translation>
        </message>
        <message>
            <source>Section desks</source>
            <translation>科室端</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>Tasks by source (click a bar for the list)</source>
            <translation>按问题来源统计（点击柱条查看清单）</translation>
        </message>
        <message>
            <source>Tasks handed</source>
            <translation>交办任务</translation>
        </message>
        <message>
            <source>Three-colour warning</source>
            <translation>三色预警</translation>
        </message>
        <message>
            <source>Today %s</source>
            <translation>今天 %s</translation>
        </message>
        <message>
            <source>Yellow</source>
            <translation>黄灯</translation>
        </message>
        <message>
            <source>Yellow light</source>
            <translation>黄灯</translation>
        </message>
        <message>
            <source>no. %1 on %2</source>
            <translation>第 %1 号（%2）</translation>
        </message>
        <message>
            <source>none yet</source>
            <translation>尚无</translation>
        </message>
    </context>
    <context>
        <name>DeleteTaskDialog</name>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete task</source>
            <translation>删除任务</translation>
        </message>
        <message>
            <source>I understand: delete this task with its nodes and evidence</source>
            <translation>我已知晓：连同节点和佐证材料一并删除此任务</translation>
        </message>
        <message>
            <source>Its nodes and evidence are deleted with it, and the deletion is reported to the city in the next export. Only a reviewer or an administrator may do this.</source>
            <translation>任务的节点和佐证材料将一并删除，删除情况随下一次报送告知市平台。只有审核人或管理员可以删除。</translation>
        </message>
        <message>
            <source>To confirm, type the city ref. %s:</source>
            <translation>请输入市平台编号 %s 以确认：</translation>
        </message>
    </context>
    <context>
        <name>ExcelImportDialog</name>
        <message>
            <source>%1 rows get the measures and nodes of a similar problem: rows %2</source>
            <translation>%1 行采用了相似问题的整改措施和节点：第 %2 行</translation>
        </message>
        <message>
            <source>%1 tasks arrive already closed (销号): rows %2</source>
            <translation>其中 %1 条导入后即为“已销号”：第 %2 行</translation>
        </message>
        <message>
            <source>(not imported)</source>
            <translation>（不导入）</translation>
        </message>
        <message>
            <source>Check again</source>
            <translation>重新检查</translation>
        </message>
        <message>
            <source>Check and import</source>
            <translation>检查后导入</translation>
        </message>
        <message>
            <source>Choose a row: its similar problems appear here.</source>
            <translation>选择一行，这里列出与它相似的问题。</translation>
        </message>
        <message>
            <source>Column in the file</source>
            <translation>表中的列</translation>
        </message>
        <message>
            <source>Columns</source>
            <translation>列</translation>
        </message>
        <message>
            <source>Columns not recognised (not imported): %1. Choose above how to read them.</source>
            <translation>未识别的列（不导入）：%1。可在上表中选择按哪一项读取。</translation>
        </message>
        <message>
            <source>Columns the list lacks: one value for all rows</source>
            <translation>表中没有的列：所有行统一填写</translation>
        </message>
        <message>
            <source>Copies the measures and the node plan into the task this row becomes (nodes due from today on)</source>
            <translation>把整改措施和节点计划复制到这一行导入后的任务中（节点期限从今天起算）</translation>
        </message>
        <message>
            <source>Do not copy into this row</source>
            <translation>这一行不采用</translation>
        </message>
        <message>
            <source>First row</source>
            <translation>第一行内容</translation>
        </message>
        <message>
            <source>How each column is read</source>
            <translation>各列按什么读取</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>Import %1 rows</source>
            <translation>导入 %1 条</translation>
        </message>
        <message>
            <source>Import a problem list</source>
            <translation>导入问题清单</translation>
        </message>
        <message>
            <source>Looking up similar problems…</source>
            <translation>正在查找相似问题…</translation>
        </message>
        <message>
            <source>Measures and nodes copied into %1 rows.</source>
            <translation>已有 %1 行采用了相似问题的措施和节点。</translation>
        </message>
        <message>
            <source>Read as</source>
            <translation>读作</translation>
        </message>
        <message>
            <source>Reading the problem list…</source>
            <translation>正在读取问题清单…</translation>
        </message>
        <message>
            <source>Remember for lists with the same column headers</source>
            <translation>记住此对应关系，下次表头相同的清单自动使用</translation>
        </message>
        <message>
            <source>Row %1 [%2]: %3</source>
            <translation>第 %1 行【%2】%3</translation>
        </message>
        <message>
            <source>Row %1 is imported with the measures and %2 nodes of “%3”.</source>
            <translation>第 %1 行导入时带上“%3”的整改措施和 %2 个节点。</translation>
        </message>
        <message>
            <source>Row %1: %2, skipped.</source>
            <translation>第 %1 行：%2，跳过。</translation>
        </message>
        <message>
            <source>Rows and similar problems</source>
            <translation>各行与相似问题</translation>
        </message>
        <message>
            <source>Rows and similar problems (%1)</source>
            <translation>各行与相似问题（%1 行）</translation>
        </message>
        <message>
            <source>Sheet “%1”, header in row %2.</source>
            <translation>读取的工作表：“%1”，表头在第 %2 行。</translation>
        </message>
        <message>
            <source>Sheet:</source>
            <translation>工作表：</translation>
        </message>
        <message>
            <source>The file has %1 sheets: %2 (pick another above).</source>
            <translation>文件中共有 %1 个工作表：%2（可在右上角选另一个）。</translation>
        </message>
        <message>
            <source>The list has every column.</source>
            <translation>表中各列齐全。</translation>
        </message>
        <message>
            <source>This row is not imported: nothing to copy into it.</source>
            <translation>这一行不会导入，无需复制措施。</translation>
        </message>
        <message>
            <source>“%1” for every row: %2</source>
            <translation>“%1”所有行统一填写：%2</translation>
        </message>
        <message>
            <source>“%1”: %2 problem rows, %3 can be imported.</source>
            <translation>“%1”：共 %2 行问题，%3 条可以导入。</translation>
        </message>
        <message>
            <source>… and %1 more problems (only the first %2 are listed).</source>
            <translation>……另有 %1 处问题未列出（只列出前 %2 处）。</translation>
        </message>
    </context>
    <context>
        <name>ExchangePage</name>
        <message>
            <source>%1: refused — %2</source>
            <translation>%1：已拒收 — %2</translation>
        </message>
        <message>
            <source>Carry both files to the unit and compare the key id %1 by phone.</source>
            <translation>请把两个文件一并交本单位，并电话核对密钥编号 %1。</translation>
        </message>
        <message>
            <source>Changes since the last report (delta)</source>
            <translation>上次报送以来的变化（增量）</translation>
        </message>
        <message>
            <source>Checking the packages…</source>
            <translation>正在检查数据包…</translation>
        </message>
        <message>
            <source>Choose a folder or USB drive for the report</source>
            <translation>选择保存报送包的文件夹或U盘</translation>
        </message>
        <message>
            <source>Choose a folder or USB drive for the report to the unit</source>
            <translation>选择保存报送包的文件夹或U盘</translation>
        </message>
        <message>
            <source>Choose feedback packages</source>
            <translation>选择反馈包</translation>
        </message>
        <message>
            <source>Choose the unit's tasks packages</source>
            <translation>选择单位发来的科室任务包</translation>
        </message>
        <message>
            <source>Collecting what the report carries…</source>
            <translation>正在统计报送内容…</translation>
        </message>
        <message>
            <source>Contents</source>
            <translation>报送内容</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>生成时间</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>方向</translation>
        </message>
        <message>
            <source>Drop a feedback package (.zgb) here, or choose it from a folder or USB drive. You will see what changes before anything is applied.</source>
            <translation>把反馈包（.zgb）拖到这里，或从文件夹、U盘中选择。应用之前会先列出将要发生的变化。</translation>
        </message>
        <message>
            <source>Drop a feedback package from the city or a section's report (.zgb) here, or choose it from a folder or USB drive. You will see what changes before anything is applied.</source>
            <translation>把市平台的反馈包或科室的报送包（.zgb）拖到这里，或从文件夹、U盘中选择。应用之前会先列出将要发生的变化。</translation>
        </message>
        <message>
            <source>Drop the unit's tasks package (.zgb) here, or choose it from a folder or USB drive. You will see what it brings before anything is applied.</source>
            <translation>把单位发来的科室任务包（.zgb）拖到这里，或从文件夹、U盘中选择。导入前会先显示它带来的任务。</translation>
        </message>
        <message>
            <source>Everything (full)</source>
            <translation>全部内容（全量）</translation>
        </message>
        <message>
            <source>Export a report to the city</source>
            <translation>向市平台报送</translation>
        </message>
        <message>
            <source>Export report</source>
            <translation>报送</translation>
        </message>
        <message>
            <source>Export report…</source>
            <translation>生成报送包…</translation>
        </message>
        <message>
            <source>Feedback packages (*.zgb *.zip)</source>
            <translation>反馈包 (*.zgb *.zip)</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Import a tasks package from the unit</source>
            <translation>导入科室任务包</translation>
        </message>
        <message>
            <source>Import feedback</source>
            <translation>导入反馈</translation>
        </message>
        <message>
            <source>Import feedback…</source>
            <translation>导入反馈包…</translation>
        </message>
        <message>
            <source>Import tasks package…</source>
            <translation>导入科室任务包…</translation>
        </message>
        <message>
            <source>Import the city’s feedback</source>
            <translation>导入市平台反馈</translation>
        </message>
        <message>
            <source>Importing…</source>
            <translation>正在导入…</translation>
        </message>
        <message>
            <source>Package history</source>
            <translation>报送与反馈记录</translation>
        </message>
        <message>
            <source>Passphrase of this section desk's signing key:</source>
            <translation>本科室端签名密钥的密码：</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>收到</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>已拒收</translation>
        </message>
        <message>
            <source>Refused at %s</source>
            <translation>拒收时间 %s</translation>
        </message>
        <message>
            <source>Report no. %1 will carry: %2; %3 evidence file(s), %4. Write it to %5?</source>
            <translation>第 %1 号报送包将报送：%2；佐证材料文件 %3 个，共 %4。写到 %5 吗？</translation>
        </message>
        <message>
            <source>Report no. %1 written (%2 file(s)), signed with key %3:</source>
            <translation>第 %1 号报送包已生成（%2 个文件），签名密钥 %3：</translation>
        </message>
        <message>
            <source>Report to the unit</source>
            <translation>报送单位</translation>
        </message>
        <message>
            <source>Report to the unit…</source>
            <translation>报送单位…</translation>
        </message>
        <message>
            <source>Section report no. %1 written (%2 node(s) done, %3 evidence file(s)), checked:</source>
            <translation>第 %1 号科室报送包已写出（完成节点 %2 个，佐证材料 %3 份），已复核无误：</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>报出</translation>
        </message>
        <message>
            <source>Sequence</source>
            <translation>序号</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>The city's feedback packages and the section desks' reports</source>
            <translation>市平台的反馈包，以及各科室端的报送包</translation>
        </message>
        <message>
            <source>The first time, this desk's public key file was written beside it:</source>
            <translation>首次报送，旁边还写出了本科室的公钥文件：</translation>
        </message>
        <message>
            <source>This PC is a section desk: it reports to the unit, and the unit reports to the city.</source>
            <translation>本机是科室端：进展报送本单位，由单位汇总后报送市督查平台。</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Volume size</source>
            <translation>分卷大小</translation>
        </message>
        <message>
            <source>Writes a signed section report (nodes done, evidence) to a folder or USB drive for the unit</source>
            <translation>把签名的科室报送包（完成的节点、佐证材料）写到文件夹或U盘，交本单位</translation>
        </message>
        <message>
            <source>Writing the report to the unit…</source>
            <translation>正在写出科室报送包…</translation>
        </message>
        <message>
            <source>Writing the report…</source>
            <translation>正在生成报送包…</translation>
        </message>
        <message>
            <source>appeals</source>
            <translation>申诉</translation>
        </message>
        <message>
            <source>deletions</source>
            <translation>删除记录</translation>
        </message>
        <message>
            <source>evidence records</source>
            <translation>佐证材料记录</translation>
        </message>
        <message>
            <source>handovers</source>
            <translation>交接记录</translation>
        </message>
        <message>
            <source>no changes</source>
            <translation>没有变化</translation>
        </message>
        <message>
            <source>nodes</source>
            <translation>节点</translation>
        </message>
        <message>
            <source>notice responses</source>
            <translation>督办反馈</translation>
        </message>
        <message>
            <source>printed reports</source>
            <translation>已生成的报告</translation>
        </message>
        <message>
            <source>tasks</source>
            <translation>任务</translation>
        </message>
    </context>
    <context>
        <name>FeatureLinks</name>
        <message>
            <source>This feature is not available in this version yet. Your data has not been changed.</source>
            <translation>此功能在当前版本中尚未提供。您的数据没有任何改动。</translation>
        </message>
    </context>
    <context>
        <name>FilesDialog</name>
        <message>
            <source>Add files…</source>
            <translation>添加文件…</translation>
        </message>
        <message>
            <source>Choose evidence files</source>
            <translation>选择佐证材料</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Take the selected file(s) off this list (Delete)</source>
            <translation>把选中的文件从列表中移除（Delete 键）</translation>
        </message>
    </context>
    <context>
        <name>FirstRunDialog</name>
        <message>
            <source>(not chosen yet — can be done later in Settings)</source>
            <translation>（尚未选择 — 也可以以后在“设置”中导入）</translation>
        </message>
        <message>
            <source>A section (科室、站所, 村委) that receives its tasks from the unit and reports back to it</source>
            <translation>科室、站所或村委：从本单位接收任务，并把进展报送本单位</translation>
        </message>
        <message>
            <source>Back up the encrypted signing key now (to a USB drive)?</source>
            <translation>现在就把加密的签名密钥备份到U盘吗？</translation>
        </message>
        <message>
            <source>Back up the key</source>
            <translation>备份密钥</translation>
        </message>
        <message>
            <source>Choose file…</source>
            <translation>选择文件…</translation>
        </message>
        <message>
            <source>City's public key</source>
            <translation>市平台公钥</translation>
        </message>
        <message>
            <source>Fill in a demo ledger to try the program</source>
            <translation>建立一份演示台账，先试用程序</translation>
        </message>
        <message>
            <source>First user (administrator)</source>
            <translation>第一位用户（管理员）</translation>
        </message>
        <message>
            <source>Key id %1 (%2): compare it by phone with the key id the unit gave you.</source>
            <translation>密钥编号 %1（%2）：请与单位告知的密钥编号电话核对。</translation>
        </message>
        <message>
            <source>Key id %1 (%2): compare it with the key id the city gave you.</source>
            <translation>密钥标识 %1（%2）：请与市督查室提供的密钥标识核对。</translation>
        </message>
        <message>
            <source>Key passphrase</source>
            <translation>密钥密码</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>单位层级</translation>
        </message>
        <message>
            <source>Please enter the section code the unit gave</source>
            <translation>请填写单位给出的科室代码</translation>
        </message>
        <message>
            <source>Please enter the section's name</source>
            <translation>请填写科室名称</translation>
        </message>
        <message>
            <source>Please set the key passphrase</source>
            <translation>请设置密钥密码</translation>
        </message>
        <message>
            <source>Section code</source>
            <translation>科室代码</translation>
        </message>
        <message>
            <source>Section name</source>
            <translation>科室名称</translation>
        </message>
        <message>
            <source>Set up RectiDesk</source>
            <translation>首次设置整改通</translation>
        </message>
        <message>
            <source>The chosen key file is not the key of unit %1 (it names “%2”)</source>
            <translation>所选公钥文件不是单位 %1 的（文件标明的是“%2”）</translation>
        </message>
        <message>
            <source>The code the unit gave this section when it registered it</source>
            <translation>单位登记本科室时给出的科室代码</translation>
        </message>
        <message>
            <source>This PC is a section desk</source>
            <translation>本机是科室端</translation>
        </message>
        <message>
            <source>This PC keeps the unit's ledger</source>
            <translation>本机是单位台账</translation>
        </message>
        <message>
            <source>This data folder has no ledger yet. Enter your unit as it is registered, and this section as the unit registered it (ask the unit for the section code and its public key file).</source>
            <translation>这个数据文件夹还没有台账。请填写本单位的代码和名称，以及单位登记本科室时给出的科室代码（科室代码和单位公钥文件请向单位索取）。</translation>
        </message>
        <message>
            <source>This data folder has no ledger yet. Enter your unit as the city's supervision office registered it.</source>
            <translation>这个数据文件夹还没有台账。请按市督查室登记的信息填写本单位。</translation>
        </message>
        <message>
            <source>Type it again</source>
            <translation>再输入一次</translation>
        </message>
        <message>
            <source>Unit code</source>
            <translation>单位代码</translation>
        </message>
        <message>
            <source>Unit name</source>
            <translation>单位名称</translation>
        </message>
        <message>
            <source>Unit's public key</source>
            <translation>单位公钥</translation>
        </message>
        <message>
            <source>e.g. 财政所</source>
            <translation>例如：财政所</translation>
        </message>
        <message>
            <source>your name, e.g. 张伟</source>
            <translation>你的姓名，例如 张伟</translation>
        </message>
    </context>
    <context>
        <name>Guard</name>
        <message>
            <source>Discard</source>
            <translation>放弃</translation>
        </message>
        <message>
            <source>Discard changes?</source>
            <translation>放弃修改？</translation>
        </message>
        <message>
            <source>Keep editing</source>
            <translation>继续编辑</translation>
        </message>
        <message>
            <source>What you typed here has not been saved. Discard it?</source>
            <translation>这里填写的内容还没有保存。要放弃吗？</translation>
        </message>
    </context>
    <context>
        <name>Guide</name>
        <message>
            <source>Help</source>
            <translation>帮助</translation>
        </message>
        <message>
            <source>User guide</source>
            <translation>整改通 操作指南</translation>
        </message>
    </context>
    <context>
        <name>HandoverDialog</name>
        <message>
            <source>%s has left the unit</source>
            <translation>%s 已调离本单位</translation>
        </message>
        <message>
            <source>All open tasks of %s go to the colleague named below; the handover is recorded and reported to the city.</source>
            <translation>%s 名下所有未销号的任务将移交给下面这位同事；交接情况会被记录，并随报送告知市平台。</translation>
        </message>
        <message>
            <source>Hand over tasks</source>
            <translation>工作交接</translation>
        </message>
        <message>
            <source>Hand over to</source>
            <translation>接手人</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>说明</translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message>
            <source> (already attached)</source>
            <translation>（本单位已有，不重复导入）</translation>
        </message>
        <message>
            <source> (already done here, unchanged)</source>
            <translation>（本单位已是完成状态，不变）</translation>
        </message>
        <message>
            <source> — %1</source>
            <translation> — %1</translation>
        </message>
        <message>
            <source>, node %1</source>
            <translation>，节点 %1</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <source>Evidence: %1 (%2, added by %3%4)</source>
            <translation>佐证材料：%1（%2，%3 上传%4）</translation>
        </message>
        <message>
            <source>Import: preview</source>
            <translation>导入预览</translation>
        </message>
        <message>
            <source>New tasks:</source>
            <translation>新交办任务：</translation>
        </message>
        <message>
            <source>Node %1 “%2”: done on %3 by %4</source>
            <translation>节点 %1“%2”：%4 于 %3 完成</translation>
        </message>
        <message>
            <source>Nodes marked done by the section await the unit's two-person check after the import.</source>
            <translation>科室完成的节点导入后等待本单位双人核查。</translation>
        </message>
        <message>
            <source>Nothing has been changed yet. Check what the packages will do, then apply.</source>
            <translation>目前还没有任何改动。请核对数据包将带来的变化，再点击“应用”。</translation>
        </message>
        <message>
            <source>Refused:</source>
            <translation>已拒收：</translation>
        </message>
        <message>
            <source>Task: %1</source>
            <translation>任务：%1</translation>
        </message>
        <message>
            <source>Tasks changed:</source>
            <translation>有变化的任务：</translation>
        </message>
    </context>
    <context>
        <name>KeyDialogs</name>
        <message>
            <source>Back up the encrypted signing key</source>
            <translation>备份加密的签名密钥</translation>
        </message>
        <message>
            <source>Key backup (*.json)</source>
            <translation>密钥备份 (*.json)</translation>
        </message>
        <message>
            <source>Please type the passphrase.</source>
            <translation>请输入密钥密码。</translation>
        </message>
        <message>
            <source>Public key (*.pub.json)</source>
            <translation>公钥文件 (*.pub.json)</translation>
        </message>
        <message>
            <source>The city's public key file</source>
            <translation>市平台公钥文件</translation>
        </message>
        <message>
            <source>The passphrase protects the unit's signing key. It cannot be recovered: if it is lost, reports can no longer be signed until a new key is registered with the city. Write it down and keep it in a safe place, and back up the key.</source>
            <translation>密钥密码用于保护本单位的签名密钥，遗忘后无法找回：一旦丢失，在向市平台登记新密钥之前将无法签名报送。请记下密码并妥善保管，同时备份密钥。</translation>
        </message>
        <message>
            <source>The two passphrases differ. Please type them again.</source>
            <translation>两次输入的密码不一致，请重新输入。</translation>
        </message>
        <message>
            <source>The unit's public key file</source>
            <translation>单位的公钥文件</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>About the file</source>
            <translation>文件说明</translation>
        </message>
        <message>
            <source>Accepted</source>
            <translation>审核通过</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>在岗</translation>
        </message>
        <message>
            <source>Administrator</source>
            <translation>管理员</translation>
        </message>
        <message>
            <source>Appeal against</source>
            <translation>申诉对象</translation>
        </message>
        <message>
            <source>Appeal decided</source>
            <translation>申诉已答复</translation>
        </message>
        <message>
            <source>Appeal filed</source>
            <translation>提出申诉</translation>
        </message>
        <message>
            <source>Appeal rejected</source>
            <translation>申诉不成立</translation>
        </message>
        <message>
            <source>Appeal upheld</source>
            <translation>申诉成立</translation>
        </message>
        <message>
            <source>Archive</source>
            <translation>压缩包</translation>
        </message>
        <message>
            <source>Assessment</source>
            <translation>绩效考核</translation>
        </message>
        <message>
            <source>Assigned by the city</source>
            <translation>市平台交办</translation>
        </message>
        <message>
            <source>Audio recording</source>
            <translation>录音</translation>
        </message>
        <message>
            <source>Audit</source>
            <translation>审计</translation>
        </message>
        <message>
            <source>Batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>City key trusted</source>
            <translation>导入市平台公钥</translation>
        </message>
        <message>
            <source>City ref.</source>
            <translation>市平台编号</translation>
        </message>
        <message>
            <source>City result</source>
            <translation>市平台审核结果</translation>
        </message>
        <message>
            <source>City review</source>
            <translation>市平台审核</translation>
        </message>
        <message>
            <source>City review: accepted</source>
            <translation>市平台审核：通过</translation>
        </message>
        <message>
            <source>City review: returned</source>
            <translation>市平台审核：退回</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>填报员</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已办结</translation>
        </message>
        <message>
            <source>Closed (signed off)</source>
            <translation>已销号</translation>
        </message>
        <message>
            <source>Closed on</source>
            <translation>销号日期</translation>
        </message>
        <message>
            <source>Confirmed</source>
            <translation>已核查</translation>
        </message>
        <message>
            <source>Confirmed by</source>
            <translation>核查人</translation>
        </message>
        <message>
            <source>Contents</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>County (city) department</source>
            <translation>县（市）直部门</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>整改期限</translation>
        </message>
        <message>
            <source>Deduction</source>
            <translation>扣分</translation>
        </message>
        <message>
            <source>Deduction received</source>
            <translation>收到扣分</translation>
        </message>
        <message>
            <source>Deduction withdrawn</source>
            <translation>撤销扣分</translation>
        </message>
        <message>
            <source>Delay warning</source>
            <translation>滞后警示</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>问题描述</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>Done on</source>
            <translation>完成日期</translation>
        </message>
        <message>
            <source>Done, awaiting review</source>
            <translation>已完成待审核</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>节点期限</translation>
        </message>
        <message>
            <source>Evidence added</source>
            <translation>上传佐证材料</translation>
        </message>
        <message>
            <source>Evidence removal undone</source>
            <translation>撤销移除佐证材料</translation>
        </message>
        <message>
            <source>Evidence removed</source>
            <translation>移除佐证材料</translation>
        </message>
        <message>
            <source>Excel spreadsheet</source>
            <translation>Excel 表格</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>未通过</translation>
        </message>
        <message>
            <source>Feedback</source>
            <translation>反馈包</translation>
        </message>
        <message>
            <source>Feedback imported</source>
            <translation>导入反馈包</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>File type</source>
            <translation>文件类型</translation>
        </message>
        <message>
            <source>Full report</source>
            <translation>全量报送</translation>
        </message>
        <message>
            <source>Green</source>
            <translation>绿灯</translation>
        </message>
        <message>
            <source>Handed over</source>
            <translation>工作交接</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>图片</translation>
        </message>
        <message>
            <source>Imported</source>
            <translation>已导入</translation>
        </message>
        <message>
            <source>In progress</source>
            <translation>整改中</translation>
        </message>
        <message>
            <source>Inspection</source>
            <translation>巡察</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>密钥</translation>
        </message>
        <message>
            <source>Keys restored</source>
            <translation>恢复密钥</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Leader</source>
            <translation>责任领导</translation>
        </message>
        <message>
            <source>Ledger set up</source>
            <translation>建立台账</translation>
        </message>
        <message>
            <source>Left on</source>
            <translation>离岗日期</translation>
        </message>
        <message>
            <source>Listed for supervision</source>
            <translation>挂牌督办</translation>
        </message>
        <message>
            <source>Long-term rectification</source>
            <translation>长效整改</translation>
        </message>
        <message>
            <source>Measures</source>
            <translation>整改措施</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <source>Node added</source>
            <translation>新增节点</translation>
        </message>
        <message>
            <source>Node assigned by the city</source>
            <translation>市平台交办节点</translation>
        </message>
        <message>
            <source>Node confirmed</source>
            <translation>核查确认节点</translation>
        </message>
        <message>
            <source>Node deleted</source>
            <translation>删除节点</translation>
        </message>
        <message>
            <source>Node done undone</source>
            <translation>撤销节点完成填报</translation>
        </message>
        <message>
            <source>Node edited</source>
            <translation>修改节点</translation>
        </message>
        <message>
            <source>Node moved</source>
            <translation>调整节点顺序</translation>
        </message>
        <message>
            <source>Node renumbered</source>
            <translation>节点重新编号</translation>
        </message>
        <message>
            <source>Node reported done</source>
            <translation>填报节点完成</translation>
        </message>
        <message>
            <source>Node reviewed by the city: accepted</source>
            <translation>市平台审核节点：通过</translation>
        </message>
        <message>
            <source>Node reviewed by the city: returned</source>
            <translation>市平台审核节点：退回</translation>
        </message>
        <message>
            <source>Not done</source>
            <translation>未完成</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <source>Notice answered</source>
            <translation>反馈督办通知</translation>
        </message>
        <message>
            <source>Notice no.</source>
            <translation>督办通知编号</translation>
        </message>
        <message>
            <source>Notice read</source>
            <translation>已阅督办通知</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Other file</source>
            <translation>其他文件</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>责任人</translation>
        </message>
        <message>
            <source>PDF document</source>
            <translation>PDF 文档</translation>
        </message>
        <message>
            <source>Package no.</source>
            <translation>数据包序号</translation>
        </message>
        <message>
            <source>Passed</source>
            <translation>通过</translation>
        </message>
        <message>
            <source>Password set</source>
            <translation>设置密码</translation>
        </message>
        <message>
            <source>Person left</source>
            <translation>人员离岗</translation>
        </message>
        <message>
            <source>Petition / public report</source>
            <translation>信访/群众反映</translation>
        </message>
        <message>
            <source>Phased rectification</source>
            <translation>分阶段整改</translation>
        </message>
        <message>
            <source>Points</source>
            <translation>分值</translation>
        </message>
        <message>
            <source>Presentation</source>
            <translation>演示文稿</translation>
        </message>
        <message>
            <source>Provisional deduction</source>
            <translation>预扣分</translation>
        </message>
        <message>
            <source>Re-check cancelled</source>
            <translation>回头看取消</translation>
        </message>
        <message>
            <source>Re-check failed</source>
            <translation>回头看未通过</translation>
        </message>
        <message>
            <source>Re-check passed</source>
            <translation>回头看通过</translation>
        </message>
        <message>
            <source>Re-check scheduled</source>
            <translation>安排回头看</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>已读</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Received by the city</source>
            <translation>市平台已签收</translation>
        </message>
        <message>
            <source>Rectify at once</source>
            <translation>立行立改</translation>
        </message>
        <message>
            <source>Red</source>
            <translation>红灯</translation>
        </message>
        <message>
            <source>Refused by the city</source>
            <translation>市平台拒收</translation>
        </message>
        <message>
            <source>Report</source>
            <translation>报送包</translation>
        </message>
        <message>
            <source>Report export undone</source>
            <translation>撤销报送包</translation>
        </message>
        <message>
            <source>Report exported</source>
            <translation>生成报送包</translation>
        </message>
        <message>
            <source>Reported by</source>
            <translation>填报人</translation>
        </message>
        <message>
            <source>Responded</source>
            <translation>已反馈</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Returned</source>
            <translation>退回</translation>
        </message>
        <message>
            <source>Review</source>
            <translation>审核结果</translation>
        </message>
        <message>
            <source>Review comment</source>
            <translation>审核意见</translation>
        </message>
        <message>
            <source>Review result</source>
            <translation>审核结果</translation>
        </message>
        <message>
            <source>Reviewer</source>
            <translation>审核人</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Role changed</source>
            <translation>修改角色</translation>
        </message>
        <message>
            <source>Section report</source>
            <translation>科室报送包</translation>
        </message>
        <message>
            <source>Section tasks</source>
            <translation>科室任务包</translation>
        </message>
        <message>
            <source>Sent, no receipt yet</source>
            <translation>已报出，尚无回执</translation>
        </message>
        <message>
            <source>Setting changed</source>
            <translation>修改设置</translation>
        </message>
        <message>
            <source>Sign-off requested</source>
            <translation>申请销号</translation>
        </message>
        <message>
            <source>Signing key changed</source>
            <translation>更换签名密钥</translation>
        </message>
        <message>
            <source>Signing key created</source>
            <translation>建立签名密钥</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Supervision</source>
            <translation>督查</translation>
        </message>
        <message>
            <source>Supervision notice</source>
            <translation>督办通知</translation>
        </message>
        <message>
            <source>Task created</source>
            <translation>新建任务</translation>
        </message>
        <message>
            <source>Task deleted</source>
            <translation>删除任务</translation>
        </message>
        <message>
            <source>Task edited</source>
            <translation>修改任务</translation>
        </message>
        <message>
            <source>Task reopened</source>
            <translation>任务重新打开</translation>
        </message>
        <message>
            <source>Text file</source>
            <translation>文本文件</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <source>To rectify</source>
            <translation>待整改</translation>
        </message>
        <message>
            <source>Township (street)</source>
            <translation>乡镇（街道）</translation>
        </message>
        <message>
            <source>Unit code</source>
            <translation>单位代码</translation>
        </message>
        <message>
            <source>Unread</source>
            <translation>未读</translation>
        </message>
        <message>
            <source>User added</source>
            <translation>添加用户</translation>
        </message>
        <message>
            <source>User disabled</source>
            <translation>停用用户</translation>
        </message>
        <message>
            <source>Valid from package</source>
            <translation>自第几号数据包起生效</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>取值</translation>
        </message>
        <message>
            <source>Video</source>
            <translation>视频</translation>
        </message>
        <message>
            <source>Waiting for its other parts</source>
            <translation>等待其余分卷</translation>
        </message>
        <message>
            <source>Word document</source>
            <translation>Word 文档</translation>
        </message>
        <message>
            <source>Yellow</source>
            <translation>黄灯</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
    </context>
    <context>
        <name>LedgerModel</name>
        <message>
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>City ref.</source>
            <translation>市平台编号</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>整改期限</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>预警灯</translation>
        </message>
        <message>
            <source>Next node due</source>
            <translation>下一节点期限</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>责任人</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题（任务）</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>责任科室</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>LedgerPage</name>
        <message>
            <source>%s tasks</source>
            <translation>共 %s 条</translation>
        </message>
        <message>
            <source>Add a rectification task (Ctrl+N)</source>
            <translation>新增一条整改任务（Ctrl+N）</translation>
        </message>
        <message>
            <source>All: %s</source>
            <translation>全部%s</translation>
        </message>
        <message>
            <source>Batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Clear filters</source>
            <translation>清除筛选</translation>
        </message>
        <message>
            <source>Closed in %s</source>
            <translation>%s 销号</translation>
        </message>
        <message>
            <source>Copy city ref.</source>
            <translation>复制市平台编号</translation>
        </message>
        <message>
            <source>Copy title</source>
            <translation>复制标题</translation>
        </message>
        <message>
            <source>Delete task</source>
            <translation>删除任务</translation>
        </message>
        <message>
            <source>Delete task…</source>
            <translation>删除任务…</translation>
        </message>
        <message>
            <source>Delete the task “%s”? The deletion is reported to the city in the next export.</source>
            <translation>确定删除任务“%s”吗？删除情况会在下次报送时告知市平台。</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>预警灯</translation>
        </message>
        <message>
            <source>New task…</source>
            <translation>新建任务…</translation>
        </message>
        <message>
            <source>No owner set for this task</source>
            <translation>本任务未填写责任人</translation>
        </message>
        <message>
            <source>No task matches these filters. “Clear filters” shows the whole ledger.</source>
            <translation>没有符合筛选条件的任务。点“清除筛选”可查看全部台账。</translation>
        </message>
        <message>
            <source>Node due within %s days</source>
            <translation>节点 %s 天内到期</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>打开…</translation>
        </message>
        <message>
            <source>Overdue only</source>
            <translation>只看逾期</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>责任人</translation>
        </message>
        <message>
            <source>Remove this filter</source>
            <translation>取消这个筛选</translation>
        </message>
        <message>
            <source>Search title, city ref., owner, section, batch… (Ctrl+F)</source>
            <translation>搜索标题、市平台编号、责任人、科室、批次…（Ctrl+F）</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>责任科室</translation>
        </message>
        <message>
            <source>Show all tasks of %1</source>
            <translation>查看%1的全部任务</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>The ledger has no rectification tasks yet.

Add them one by one with “New task…” (Ctrl+N), or import the problem list the city sent (Excel) or a feedback package under “Data exchange”.</source>
            <translation>整改台账中还没有任务。

可点“新建任务…”（Ctrl+N）逐条录入；市里下发的问题清单（Excel）和市平台的反馈包，请在“数据交换”中导入。</translation>
        </message>
    </context>
    <context>
        <name>Login</name>
        <message>
            <source>Node %1 was reported done by %2, so %2 cannot also confirm it: a second person checks it. Click “Switch user…” (also at the bottom right of the main window), choose the colleague who checks (a reviewer or an administrator), then confirm.</source>
            <translation>第 %1 个节点是%2本人填报的，不能由%2本人核查：双人核查需要另一位同事确认。请点击“切换用户…”（主窗口右下角也有），选择负责核查的同事（审核人或管理员），再核查确认。</translation>
        </message>
        <message>
            <source>Switch user…</source>
            <translation>切换用户…</translation>
        </message>
        <message>
            <source>The first user</source>
            <translation>第一个用户</translation>
        </message>
        <message>
            <source>This ledger has no user yet. Your name (you become its administrator):</source>
            <translation>这个台账还没有用户。请输入你的姓名（你将成为管理员）：</translation>
        </message>
        <message>
            <source>Two-person check</source>
            <translation>双人核查</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>Choose your name in the list.</source>
            <translation>请在列表中选择你的姓名。</translation>
        </message>
        <message>
            <source>Everything you do is recorded under your name. Choose your name:</source>
            <translation>你的每一项操作都以你的名义记录。请选择你的姓名：</translation>
        </message>
        <message>
            <source>Log in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Switch user</source>
            <translation>切换用户</translation>
        </message>
        <message>
            <source>User</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>Who is working?</source>
            <translation>谁在使用整改通？</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>%1 · today %2 · data folder %3</source>
            <translation>%1 · 今天 %2 · 数据文件夹 %3</translation>
        </message>
        <message numerus="yes">
            <source>%n notice(s) waiting for a response</source>
            <translation>
                <numerusform>%n 条督办通知待反馈</numerusform>
            </translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>About RectiDesk</source>
            <translation>关于整改通</translation>
        </message>
        <message>
            <source>Current user: %1</source>
            <translation>当前用户：%1</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>工作台</translation>
        </message>
        <message>
            <source>Data exchange</source>
            <translation>数据交换</translation>
        </message>
        <message>
            <source>Let a colleague work under their own name (Ctrl+Shift+U)</source>
            <translation>让同事以本人的名义操作（Ctrl+Shift+U）</translation>
        </message>
        <message>
            <source>New task</source>
            <translation>新建任务</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>Rectification ledger</source>
            <translation>整改台账</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Saving… (waiting for the work in progress to finish)</source>
            <translation>正在保存…（等待正在进行的操作完成）</translation>
        </message>
        <message>
            <source>Search the ledger</source>
            <translation>搜索台账</translation>
        </message>
        <message>
            <source>Section desk · %1 · %2</source>
            <translation>科室端 · %1 · %2</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>Supervision notices</source>
            <translation>督办通知</translation>
        </message>
        <message>
            <source>Switch user…</source>
            <translation>切换用户…</translation>
        </message>
        <message>
            <source>User guide</source>
            <translation>操作指南</translation>
        </message>
        <message>
            <source>no ledger yet</source>
            <translation>尚未建立台账</translation>
        </message>
        <message>
            <source>“%s” is not finished. Quit anyway? It will be cancelled; nothing half-done is kept.</source>
            <translation>“%s”还没有完成。仍要退出吗？退出将取消这项工作，不会留下做了一半的文件。</translation>
        </message>
    </context>
    <context>
        <name>Messages</name>
        <message>
            <source>Cannot do that</source>
            <translation>无法执行</translation>
        </message>
    </context>
    <context>
        <name>NodeDialog</name>
        <message>
            <source>Completed on</source>
            <translation>完成日期</translation>
        </message>
        <message>
            <source>Drag files here, or add them: they are attached to this node.</source>
            <translation>可把文件拖到这里，或点“添加文件…”：文件将作为此节点的佐证材料。</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>节点期限</translation>
        </message>
        <message>
            <source>Evidence</source>
            <translation>佐证材料</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>节点</translation>
        </message>
        <message>
            <source>What was done</source>
            <translation>完成情况说明</translation>
        </message>
    </context>
    <context>
        <name>NoticesModel</name>
        <message>
            <source>Issued</source>
            <translation>下发日期</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>督办级别</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>通知</translation>
        </message>
        <message>
            <source>Respond by</source>
            <translation>反馈期限</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
    </context>
    <context>
        <name>NoticesPage</name>
        <message>
            <source>%1 shown, %2 waiting for a response</source>
            <translation>显示 %1 条，待反馈 %2 条</translation>
        </message>
        <message>
            <source>All notices</source>
            <translation>全部通知</translation>
        </message>
        <message>
            <source>Appeal…</source>
            <translation>申诉…</translation>
        </message>
        <message>
            <source>Ask the city to reconsider this notice (申诉); the appeal travels in the next export</source>
            <translation>请市平台重新考虑这份督办通知（申诉）；申诉随下一次报送上报</translation>
        </message>
        <message>
            <source>Closed by the city</source>
            <translation>市平台已办结</translation>
        </message>
        <message>
            <source>Issued by</source>
            <translation>下发单位</translation>
        </message>
        <message>
            <source>No supervision notices. Notices arrive with the city’s feedback packages (Data exchange → Import feedback).</source>
            <translation>暂无督办通知。督办通知随市平台的反馈包送达（数据交换 → 导入反馈包）。</translation>
        </message>
        <message>
            <source>Open notices</source>
            <translation>未办结的通知</translation>
        </message>
        <message>
            <source>Open the task</source>
            <translation>打开任务</translation>
        </message>
        <message>
            <source>Respond to a notice</source>
            <translation>反馈督办通知</translation>
        </message>
        <message>
            <source>Respond…</source>
            <translation>反馈整改情况…</translation>
        </message>
        <message>
            <source>Response</source>
            <translation>整改情况反馈</translation>
        </message>
        <message>
            <source>Response to notice %s</source>
            <translation>督办通知 %s 的反馈材料</translation>
        </message>
        <message>
            <source>Save a copy of the file(s) the city sent with this notice</source>
            <translation>把市平台随此通知发来的附件另存一份</translation>
        </message>
        <message>
            <source>Save attachment as…</source>
            <translation>附件另存为…</translation>
        </message>
        <message>
            <source>Send the response without files, or ask the city's supervision office.</source>
            <translation>请不附文件直接反馈，或向市督查室咨询。</translation>
        </message>
        <message>
            <source>Sending the response…</source>
            <translation>正在提交反馈…</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>This notice names no task of the ledger, so files cannot be attached.</source>
            <translation>这份通知没有对应台账中的任务，不能附加文件。</translation>
        </message>
        <message>
            <source>Write how the problem was handled; the response travels to the city in the next export</source>
            <translation>填写整改落实情况；反馈内容随下次报送发给市平台</translation>
        </message>
        <message>
            <source>respond by</source>
            <translation>反馈期限</translation>
        </message>
    </context>
    <context>
        <name>PassphraseDialog</name>
        <message>
            <source>Current passphrase</source>
            <translation>当前密码</translation>
        </message>
        <message>
            <source>Key passphrase</source>
            <translation>密钥密码</translation>
        </message>
        <message>
            <source>New passphrase</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>Type it again</source>
            <translation>再输入一次</translation>
        </message>
    </context>
    <context>
        <name>PasswordDialog</name>
        <message>
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>Password of %1</source>
            <translation>%1的密码</translation>
        </message>
        <message>
            <source>Set my password</source>
            <translation>设置我的密码</translation>
        </message>
        <message>
            <source>Type it again</source>
            <translation>再输入一次</translation>
        </message>
    </context>
    <context>
        <name>PreviewRows</name>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <source>Copied from</source>
            <translation>采用自</translation>
        </message>
        <message>
            <source>Imported</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>No: </source>
            <translation>否：</translation>
        </message>
        <message>
            <source>No: already in the ledger</source>
            <translation>否：已在台账中</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题描述</translation>
        </message>
        <message>
            <source>Row</source>
            <translation>行</translation>
        </message>
        <message>
            <source>Similar</source>
            <translation>相似问题</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>是</translation>
        </message>
    </context>
    <context>
        <name>Quality</name>
        <message>
            <source>Evidence dated before the problem was assigned</source>
            <translation>佐证材料日期早于问题交办日期</translation>
        </message>
        <message>
            <source>Node done late without a note</source>
            <translation>节点逾期完成但没有说明</translation>
        </message>
        <message>
            <source>Same file used for unrelated tasks</source>
            <translation>同一文件用作不相关任务的佐证</translation>
        </message>
        <message>
            <source>Sign-off requested or closed without evidence</source>
            <translation>申请销号或已销号但没有佐证材料</translation>
        </message>
    </context>
    <context>
        <name>QualityDialog</name>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>Evidence quality warnings</source>
            <translation>佐证质量提示</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>Warnings, not refusals: look at these before the city does. Double-click a line to open its task.</source>
            <translation>这些是提示而不是拒绝：请在市平台审核前核对。双击一行可打开对应任务。</translation>
        </message>
    </context>
    <context>
        <name>RecheckResultDialog</name>
        <message>
            <source>Closed on %1, re-check due %2</source>
            <translation>销号日期 %1，回头看日期 %2</translation>
        </message>
        <message>
            <source>Evidence</source>
            <translation>佐证材料</translation>
        </message>
        <message>
            <source>Failed: the problem came back (the task is reopened)</source>
            <translation>未通过：问题出现反弹（任务将重新打开）</translation>
        </message>
        <message>
            <source>Findings</source>
            <translation>发现情况</translation>
        </message>
        <message>
            <source>Passed: the problem has not come back</source>
            <translation>通过：问题没有反弹</translation>
        </message>
        <message>
            <source>Record a re-check (回头看)</source>
            <translation>登记回头看结果</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>What was found; required when the re-check failed</source>
            <translation>写明回头看发现的情况；未通过时必须填写</translation>
        </message>
    </context>
    <context>
        <name>RechecksDialog</name>
        <message>
            <source>%s re-check(s)</source>
            <translation>共 %s 次回头看</translation>
        </message>
        <message>
            <source>All re-checks</source>
            <translation>全部回头看</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Closed on</source>
            <translation>销号日期</translation>
        </message>
        <message>
            <source>Done on</source>
            <translation>完成日期</translation>
        </message>
        <message>
            <source>Due now</source>
            <translation>已到期</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>未通过</translation>
        </message>
        <message>
            <source>Findings</source>
            <translation>发现情况</translation>
        </message>
        <message>
            <source>Not yet done</source>
            <translation>未做</translation>
        </message>
        <message>
            <source>Open the task</source>
            <translation>打开任务</translation>
        </message>
        <message>
            <source>Passed</source>
            <translation>通过</translation>
        </message>
        <message>
            <source>Re-check due</source>
            <translation>回头看日期</translation>
        </message>
        <message>
            <source>Re-checks (回头看)</source>
            <translation>回头看</translation>
        </message>
        <message>
            <source>Record result…</source>
            <translation>登记结果…</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
    </context>
    <context>
        <name>RegisterSectionDialog</name>
        <message>
            <source>Give the section a short code (letters, digits and “-”). Its desk is set up with the same code.</source>
            <translation>给科室一个简短的代码（字母、数字和“-”）。科室端首次设置时填写同一个代码。</translation>
        </message>
        <message>
            <source>Register a section desk</source>
            <translation>登记科室</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>科室</translation>
        </message>
        <message>
            <source>Section code</source>
            <translation>科室代码</translation>
        </message>
    </context>
    <context>
        <name>ReminderBanner</name>
        <message>
            <source>Details…</source>
            <translation>查看详情…</translation>
        </message>
        <message>
            <source>Hide the reminders until tomorrow</source>
            <translation>今天不再显示提醒</translation>
        </message>
        <message>
            <source>Today: %s</source>
            <translation>今日提醒：%s</translation>
        </message>
    </context>
    <context>
        <name>Reminders</name>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <source>An unexpected error occurred; the details are in the log file.</source>
            <translation>程序出现意外错误，详细信息已写入日志文件。</translation>
        </message>
        <message>
            <source>Automatic backup…</source>
            <translation>正在自动备份…</translation>
        </message>
        <message>
            <source>Backing up before closing…</source>
            <translation>正在备份，完成后关闭…</translation>
        </message>
        <message>
            <source>Nodes due soon</source>
            <translation>临近期限节点</translation>
        </message>
        <message>
            <source>Notices waiting for a response</source>
            <translation>督办通知待反馈</translation>
        </message>
        <message>
            <source>Overdue nodes</source>
            <translation>逾期节点</translation>
        </message>
        <message>
            <source>Re-checks (回头看) due</source>
            <translation>回头看到期</translation>
        </message>
        <message>
            <source>RectiDesk</source>
            <translation>整改通</translation>
        </message>
        <message>
            <source>RectiDesk reminders</source>
            <translation>整改通提醒</translation>
        </message>
        <message>
            <source>The automatic backup could not be made.</source>
            <translation>这次自动备份没有做成。</translation>
        </message>
        <message>
            <source>The automatic backup failed</source>
            <translation>自动备份失败</translation>
        </message>
    </context>
    <context>
        <name>RemindersDialog</name>
        <message>
            <source>Double-click a line to open its task.</source>
            <translation>双击一行可打开对应任务。</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>期限</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>责任人</translation>
        </message>
        <message>
            <source>Reminders for %s</source>
            <translation>%s 的提醒</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>What</source>
            <translation>事项</translation>
        </message>
        <message numerus="yes">
            <source>… and %n more, not listed: the most urgent come first. Use the ledger's filters to see them all.</source>
            <translation>
                <numerusform>……另有 %n 项未列出（按紧迫程度列出前面的）。请在整改台账中用筛选查看全部。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ReportsBox</name>
        <message>
            <source>%1 tasks exported to %2</source>
            <translation>已导出 %1 条任务：%2</translation>
        </message>
        <message>
            <source>%s tasks imported.</source>
            <translation>已导入 %s 条任务。</translation>
        </message>
        <message>
            <source>Characters missing from the fonts were printed as 〓: %s</source>
            <translation>字库中没有的字以“〓”代替，请手工补写：%s</translation>
        </message>
        <message>
            <source>Checking the fonts…</source>
            <translation>正在检查字体…</translation>
        </message>
        <message>
            <source>Checks that a PDF is exactly a report this unit printed, and whether the ledger changed since</source>
            <translation>核对一份 PDF 是否正是本单位生成的报告原件，以及此后台账有没有变动</translation>
        </message>
        <message>
            <source>Every problem with its source, measures, deadline and state, without any person's name, for publishing</source>
            <translation>每个问题的来源、整改措施、期限和状态，不含任何人名，供公开公示</translation>
        </message>
        <message>
            <source>Export ledger to Excel…</source>
            <translation>导出台账 Excel…</translation>
        </message>
        <message>
            <source>Export to Excel</source>
            <translation>导出 Excel</translation>
        </message>
        <message>
            <source>Import a problem list</source>
            <translation>导入问题清单</translation>
        </message>
        <message>
            <source>Import the city's Excel problem list…</source>
            <translation>导入市里下发的 Excel 问题清单…</translation>
        </message>
        <message>
            <source>Importing the problem list…</source>
            <translation>正在导入问题清单…</translation>
        </message>
        <message>
            <source>Ledger table</source>
            <translation>整改台账</translation>
        </message>
        <message>
            <source>Make PDF…</source>
            <translation>生成 PDF…</translation>
        </message>
        <message>
            <source>Making the report…</source>
            <translation>正在生成报告…</translation>
        </message>
        <message>
            <source>Monthly report</source>
            <translation>整改工作月报</translation>
        </message>
        <message>
            <source>Note: this computer lacks the standard fonts %1. Reports use the nearest fonts instead; install them for official documents.</source>
            <translation>提示：本机没有公文标准字体 %1，报告将以最接近的字体代替；正式公文请先安装这些字体。</translation>
        </message>
        <message>
            <source>Original: this is the report this unit printed on %1, unchanged.</source>
            <translation>原件：这是本单位于 %1 生成并登记的报告，文件没有被改动。</translation>
        </message>
        <message>
            <source>PDF report</source>
            <translation>PDF 报告</translation>
        </message>
        <message>
            <source>Passphrase of the unit's signing key (the report is signed and registered):</source>
            <translation>本单位签名密钥的密码（报告将签名并登记）：</translation>
        </message>
        <message>
            <source>Public version (no names)</source>
            <translation>公示版（不含人名）</translation>
        </message>
        <message>
            <source>Public version to Excel…</source>
            <translation>导出公示版 Excel…</translation>
        </message>
        <message>
            <source>Reading the problem list…</source>
            <translation>正在读取问题清单…</translation>
        </message>
        <message>
            <source>Rectification report</source>
            <translation>整改报告</translation>
        </message>
        <message>
            <source>Registered, but not signed: the unit has no signing key yet (Settings → Signing keys → Create signing key…).</source>
            <translation>已登记，但未加数字签名：本单位还没有签名密钥（设置 → 签名密钥 → 建立签名密钥…）。</translation>
        </message>
        <message>
            <source>Report written: %s</source>
            <translation>报告已生成：%s</translation>
        </message>
        <message>
            <source>Reports and spreadsheets</source>
            <translation>报告与表格</translation>
        </message>
        <message>
            <source>Save the PDF report</source>
            <translation>保存 PDF 报告</translation>
        </message>
        <message>
            <source>Save the Word draft</source>
            <translation>保存 Word 草稿</translation>
        </message>
        <message>
            <source>Save the ledger as Excel</source>
            <translation>把台账保存为 Excel</translation>
        </message>
        <message>
            <source>Save the public version as Excel</source>
            <translation>保存公示版 Excel</translation>
        </message>
        <message>
            <source>Signed with the unit's key and registered.</source>
            <translation>已用本单位密钥签名并登记。</translation>
        </message>
        <message>
            <source>Spreadsheets (*.xlsx *.xls *.ods *.csv)</source>
            <translation>表格文件 (*.xlsx *.xls *.ods *.csv)</translation>
        </message>
        <message>
            <source>The city's problem list</source>
            <translation>市里下发的问题清单</translation>
        </message>
        <message>
            <source>The ledger has changed since it was printed; make a new report for the current state.</source>
            <translation>不一致：报告生成后台账已有变动，如需最新情况，请重新生成报告。</translation>
        </message>
        <message>
            <source>The ledger has not changed since it was printed.</source>
            <translation>一致：报告生成后台账没有变动。</translation>
        </message>
        <message>
            <source>The printed report to verify</source>
            <translation>选择要核验的报告</translation>
        </message>
        <message>
            <source>The rectification report as an editable Word document, for the leader to edit before signing; the signed PDF stays the official copy</source>
            <translation>整改报告的可编辑 Word 文档，供领导修改定稿；正式文本仍以签名的 PDF 为准</translation>
        </message>
        <message>
            <source>Verify a printed report…</source>
            <translation>核验报告…</translation>
        </message>
        <message>
            <source>Verify a report</source>
            <translation>核验报告</translation>
        </message>
        <message>
            <source>Verifying…</source>
            <translation>正在核验…</translation>
        </message>
        <message>
            <source>Word draft</source>
            <translation>Word 草稿</translation>
        </message>
        <message>
            <source>Word draft written: %1
It is neither signed nor registered; when the text is final, make the PDF report as the official copy.</source>
            <translation>已生成 Word 草稿：%1
草稿不签名、不登记；定稿后请生成 PDF 报告作为正式文本。</translation>
        </message>
        <message>
            <source>Word draft…</source>
            <translation>导出 Word 草稿…</translation>
        </message>
        <message>
            <source>Writing the draft…</source>
            <translation>正在生成草稿…</translation>
        </message>
        <message>
            <source>Writing the spreadsheet…</source>
            <translation>正在生成表格…</translation>
        </message>
    </context>
    <context>
        <name>RespondDialog</name>
        <message>
            <source>Evidence (drag files here, or add them):</source>
            <translation>佐证材料（可把文件拖到这里，或点击添加）：</translation>
        </message>
        <message>
            <source>How was the problem handled?</source>
            <translation>问题是如何整改落实的？</translation>
        </message>
        <message>
            <source>Respond to a notice</source>
            <translation>反馈督办通知</translation>
        </message>
    </context>
    <context>
        <name>Restore</name>
        <message>
            <source>Backup (*.zip)</source>
            <translation>备份文件 (*.zip)</translation>
        </message>
        <message>
            <source>Checking the backup…</source>
            <translation>正在检查备份…</translation>
        </message>
        <message>
            <source>No backup was found in the data folder. Choose a backup file (for example on a USB stick), or ask your technical support.</source>
            <translation>数据文件夹中没有找到备份。请选择一个备份文件（例如U盘上的），或联系技术支持。</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>Restore backup…</source>
            <translation>恢复备份…</translation>
        </message>
        <message>
            <source>Restore from a backup</source>
            <translation>从备份恢复</translation>
        </message>
        <message>
            <source>Restore it only if you know why the keys differ (the unit changed its key, or the city announced a new one). A backup from an unknown source can bring in a forged city key. Restore it with these keys?</source>
            <translation>只有在清楚密钥为何不同（本单位更换过密钥，或市平台通知过新公钥）时才恢复。来历不明的备份可能带入伪造的市平台公钥。仍要连同这些密钥一起恢复吗？</translation>
        </message>
        <message>
            <source>Restoring the backup…</source>
            <translation>正在恢复备份…</translation>
        </message>
        <message>
            <source>The backup of %1 made on %2 replaces the data in this folder (the current data is kept aside). Restore it?</source>
            <translation>%2 制作的 %1 的备份将替换这个数据文件夹中的数据（现有数据会另存一份）。确定恢复吗？</translation>
        </message>
        <message>
            <source>The backup was restored.</source>
            <translation>已从备份恢复。</translation>
        </message>
        <message>
            <source>The keys would change</source>
            <translation>密钥将会改变</translation>
        </message>
        <message>
            <source>The latest backup is %1. Restore it (the damaged files are kept aside for support), or choose another backup.</source>
            <translation>最近的备份是 %1。可以用它恢复（损坏的文件会另存一份，供技术支持查看），也可以选择另一份备份。</translation>
        </message>
        <message>
            <source>The ledger's database is damaged</source>
            <translation>台账数据库已损坏</translation>
        </message>
        <message>
            <source>The replaced data is kept in %1.</source>
            <translation>被替换的数据另存在 %1。</translation>
        </message>
        <message>
            <source>This backup uses other keys than this ledger does now:</source>
            <translation>这份备份使用的密钥与本台账现在使用的不同：</translation>
        </message>
    </context>
    <context>
        <name>SavedFile</name>
        <message>
            <source>Open its folder</source>
            <translation>打开所在文件夹</translation>
        </message>
        <message>
            <source>Open the file</source>
            <translation>打开文件</translation>
        </message>
        <message>
            <source>Print preview — %s</source>
            <translation>打印预览 — %s</translation>
        </message>
        <message>
            <source>Print preview…</source>
            <translation>打印预览…</translation>
        </message>
    </context>
    <context>
        <name>SectionsBox</name>
        <message>
            <source>%1 has no open task to supervise.</source>
            <translation>%1没有未销号的任务，无需督办。</translation>
        </message>
        <message>
            <source>%1 supervision notice(s) to %2 recorded (answer by %3). They go to the section with the next “Send tasks…”.</source>
            <translation>已记录对%2的督办通知 %1 份（反馈期限 %3），将随下一次“发送任务…”送达该科室。</translation>
        </message>
        <message>
            <source>(no code)</source>
            <translation>（未登记代码）</translation>
        </message>
        <message>
            <source>Choose a folder or USB drive for the tasks package</source>
            <translation>选择保存科室任务包的文件夹或U盘</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>Hand both files to the section and compare the key id %1 by phone.</source>
            <translation>请把两个文件一并交给该科室，并电话核对密钥编号 %1。</translation>
        </message>
        <message>
            <source>Import section's public key</source>
            <translation>导入科室公钥</translation>
        </message>
        <message>
            <source>Import section's public key…</source>
            <translation>导入科室公钥…</translation>
        </message>
        <message>
            <source>Key id %1 of the desk of %2. Compare it by phone with the key id the section's desk shows. Trust this key?</source>
            <translation>%2科室端的密钥编号 %1。请与该科室电话核对其科室端显示的密钥编号。信任这把密钥吗？</translation>
        </message>
        <message>
            <source>Last sent</source>
            <translation>已发送</translation>
        </message>
        <message>
            <source>Open tasks</source>
            <translation>未销号任务</translation>
        </message>
        <message>
            <source>Public key (*.pub.json)</source>
            <translation>公钥 (*.pub.json)</translation>
        </message>
        <message>
            <source>Register section…</source>
            <translation>登记科室…</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>科室</translation>
        </message>
        <message>
            <source>Section desks (internal supervision)</source>
            <translation>科室端（内部督办）</translation>
        </message>
        <message>
            <source>Section's key id</source>
            <translation>科室公钥编号</translation>
        </message>
        <message>
            <source>Sections that run RectiDesk on their own PC receive their tasks from here and send their progress and evidence back, signed, by USB drive or e-mail.</source>
            <translation>在自己电脑上运行整改通的科室，从这里接收任务，并通过U盘或电子邮件把签名的进展和佐证材料报送回来。</translation>
        </message>
        <message>
            <source>Select a section with a code in the list first (Register section… gives one).</source>
            <translation>请先在列表中选中一个已有代码的科室（用“登记科室…”给出代码）。</translation>
        </message>
        <message>
            <source>Send supervision notice</source>
            <translation>发督办通知</translation>
        </message>
        <message>
            <source>Send supervision notice…</source>
            <translation>发督办通知…</translation>
        </message>
        <message>
            <source>Send tasks</source>
            <translation>发送任务</translation>
        </message>
        <message>
            <source>Send tasks…</source>
            <translation>发送任务…</translation>
        </message>
        <message>
            <source>Tasks package no. %1 written (%2 task(s), %3 node(s)), checked:</source>
            <translation>第 %1 号科室任务包已写出（任务 %2 条，节点 %3 个），已复核无误：</translation>
        </message>
        <message>
            <source>The first time, the unit's public key file was written beside it:</source>
            <translation>首次发送，旁边还写出了本单位的公钥文件：</translation>
        </message>
        <message>
            <source>The section desk's public key file</source>
            <translation>科室端的公钥文件</translation>
        </message>
        <message>
            <source>The unit's own supervision notice (督办) to the chosen section on its open tasks; it goes with the next “Send tasks…”</source>
            <translation>本单位对所选科室未销号任务的内部督办通知，随下一次“发送任务…”送达</translation>
        </message>
        <message>
            <source>Writes a signed package of the chosen section's open tasks to a folder or USB drive</source>
            <translation>把所选科室未销号任务的签名任务包写到文件夹或U盘</translation>
        </message>
        <message>
            <source>Writing the tasks package…</source>
            <translation>正在写出科室任务包…</translation>
        </message>
        <message>
            <source>no. %1</source>
            <translation>第 %1 号</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>not imported</source>
            <translation>未导入</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>%1 (code %2, %3)</source>
            <translation>%1（代码 %2，%3）</translation>
        </message>
        <message>
            <source>%1 backup(s) in the data folder take %2 in all.</source>
            <translation>数据文件夹中的 %1 份备份共占用 %2。</translation>
        </message>
        <message>
            <source>%1 task(s) handed over from %2 to %3.</source>
            <translation>已将 %1 项任务从 %2 移交给 %3。</translation>
        </message>
        <message>
            <source>%1 was added. From now on the program asks at start who is working; use Switch user… at the bottom right to let a colleague work (for example to confirm a node).</source>
            <translation>已添加用户%1。今后每次启动都会询问由谁操作；需要同事操作时（例如核查节点），请点击窗口右下角的“切换用户…”。</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>在岗</translation>
        </message>
        <message>
            <source>Add user</source>
            <translation>添加用户</translation>
        </message>
        <message>
            <source>Add user…</source>
            <translation>添加用户…</translation>
        </message>
        <message>
            <source>Added</source>
            <translation>添加日期</translation>
        </message>
        <message>
            <source>Automatic backups kept</source>
            <translation>保留自动备份份数</translation>
        </message>
        <message>
            <source>Back up</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>Back up key</source>
            <translation>备份密钥</translation>
        </message>
        <message>
            <source>Back up key…</source>
            <translation>备份密钥…</translation>
        </message>
        <message>
            <source>Back up now…</source>
            <translation>立即备份…</translation>
        </message>
        <message>
            <source>Backing up…</source>
            <translation>正在备份…</translation>
        </message>
        <message>
            <source>Backup (*.zip)</source>
            <translation>备份文件 (*.zip)</translation>
        </message>
        <message>
            <source>Backup written to %s</source>
            <translation>备份已保存到 %s</translation>
        </message>
        <message>
            <source>Backups</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>Change key and passphrase</source>
            <translation>更换密钥和密码</translation>
        </message>
        <message>
            <source>Change key and passphrase…</source>
            <translation>更换密钥和密码…</translation>
        </message>
        <message>
            <source>Choose a folder or USB drive for the backup</source>
            <translation>选择保存备份的文件夹或U盘</translation>
        </message>
        <message>
            <source>Correct code or name…</source>
            <translation>更正代码或名称…</translation>
        </message>
        <message>
            <source>Create signing key</source>
            <translation>建立签名密钥</translation>
        </message>
        <message>
            <source>Create signing key…</source>
            <translation>建立签名密钥…</translation>
        </message>
        <message>
            <source>Data folder</source>
            <translation>数据文件夹</translation>
        </message>
        <message>
            <source>Data folder and backup</source>
            <translation>数据文件夹与备份</translation>
        </message>
        <message>
            <source>Export public key</source>
            <translation>导出公钥</translation>
        </message>
        <message>
            <source>Export public key…</source>
            <translation>导出公钥…</translation>
        </message>
        <message>
            <source>First re-check after (months)</source>
            <translation>销号后第一次回头看（月）</translation>
        </message>
        <message>
            <source>For an administrator: a colleague who forgot their password gets a new one</source>
            <translation>由管理员操作：同事忘记密码时为其设置新密码</translation>
        </message>
        <message>
            <source>For an administrator: recorded in the change log</source>
            <translation>由管理员操作，记入操作日志</translation>
        </message>
        <message>
            <source>Hand over tasks</source>
            <translation>工作交接</translation>
        </message>
        <message>
            <source>Hand over tasks…</source>
            <translation>工作交接…</translation>
        </message>
        <message>
            <source>Hand over this person's tasks…</source>
            <translation>交接此人的任务…</translation>
        </message>
        <message>
            <source>Key id</source>
            <translation>密钥标识</translation>
        </message>
        <message>
            <source>Key id %1 of %2. Compare it by phone with the key id the unit gave you. Trust this key?</source>
            <translation>%2的密钥编号 %1。请与单位告知的密钥编号电话核对。信任这把密钥吗？</translation>
        </message>
        <message>
            <source>Key id %1 of %2. Compare it with the key id the city's supervision office gave you. Trust this key?</source>
            <translation>%2 的密钥标识为 %1。请与市督查室提供的密钥标识核对。确定信任这把密钥吗？</translation>
        </message>
        <message>
            <source>Language (from next start)</source>
            <translation>界面语言（下次启动生效）</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>New key %s made. The next report announces it to the city; the report after that is signed with it.</source>
            <translation>新密钥 %s 已生成。下一次报送会告知市平台，再下一次报送起使用新密钥签名。</translation>
        </message>
        <message>
            <source>No unit set up yet.</source>
            <translation>尚未设置本单位。</translation>
        </message>
        <message>
            <source>Open data folder</source>
            <translation>打开数据文件夹</translation>
        </message>
        <message>
            <source>Public key %1 saved to %2.</source>
            <translation>公钥 %1 已保存到 %2。</translation>
        </message>
        <message>
            <source>Red light after overdue days</source>
            <translation>逾期超过多少天亮红灯</translation>
        </message>
        <message>
            <source>Remind days before due</source>
            <translation>临期提醒天数</translation>
        </message>
        <message>
            <source>Report recipient</source>
            <translation>主送机关</translation>
        </message>
        <message>
            <source>Report recipient:</source>
            <translation>整改报告主送机关：</translation>
        </message>
        <message>
            <source>Report volume size (MB)</source>
            <translation>报送包分卷大小（MB）</translation>
        </message>
        <message>
            <source>Restore from a backup</source>
            <translation>从备份恢复</translation>
        </message>
        <message>
            <source>Restore from a backup…</source>
            <translation>从备份恢复…</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Save recipient</source>
            <translation>保存主送机关</translation>
        </message>
        <message>
            <source>Save the public key for the city</source>
            <translation>保存报送市平台的公钥</translation>
        </message>
        <message>
            <source>Save the public key for the unit</source>
            <translation>保存交单位的公钥文件</translation>
        </message>
        <message>
            <source>Save thresholds</source>
            <translation>保存设置</translation>
        </message>
        <message>
            <source>Second re-check after (months)</source>
            <translation>销号后第二次回头看（月）</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>科室</translation>
        </message>
        <message>
            <source>Select the person who hands over first.</source>
            <translation>请先选中要交出工作的人。</translation>
        </message>
        <message>
            <source>Select the user in the list first.</source>
            <translation>请先在列表中选择用户。</translation>
        </message>
        <message>
            <source>Set a password</source>
            <translation>设置密码</translation>
        </message>
        <message>
            <source>Set my password</source>
            <translation>设置我的密码</translation>
        </message>
        <message>
            <source>Set my password…</source>
            <translation>设置我的密码…</translation>
        </message>
        <message>
            <source>Set this user's password…</source>
            <translation>设置此用户的密码…</translation>
        </message>
        <message>
            <source>Signing keys</source>
            <translation>签名密钥</translation>
        </message>
        <message>
            <source>The city set this value; it cannot be changed here.</source>
            <translation>此项由市督查平台设定，本单位不能修改。</translation>
        </message>
        <message>
            <source>The encrypted key was saved to %s. Keep it on a USB drive in a safe place.</source>
            <translation>加密的密钥已保存到 %s。请存放在U盘中并妥善保管。</translation>
        </message>
        <message>
            <source>The password of %1 was set.</source>
            <translation>已设置%1的密码。</translation>
        </message>
        <message>
            <source>The unit's signing key %s was created. Back it up now (Back up key…) and send the exported public key to the city.</source>
            <translation>本单位签名密钥 %s 已建立。请立即备份（备份密钥…），并把导出的公钥报送市督查室。</translation>
        </message>
        <message>
            <source>Trust the city's public key</source>
            <translation>导入市平台公钥</translation>
        </message>
        <message>
            <source>Trust the city's public key…</source>
            <translation>导入市平台公钥…</translation>
        </message>
        <message>
            <source>Trust the unit's public key</source>
            <translation>导入单位公钥</translation>
        </message>
        <message>
            <source>Trust the unit's public key…</source>
            <translation>导入单位公钥…</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>本单位</translation>
        </message>
        <message>
            <source>Users and people</source>
            <translation>用户与责任人</translation>
        </message>
        <message>
            <source>Warning thresholds and limits</source>
            <translation>预警界限与限额</translation>
        </message>
        <message>
            <source>Whose</source>
            <translation>所属</translation>
        </message>
        <message>
            <source>Written under the title of the rectification report (主送机关); empty: 市督查室</source>
            <translation>写在整改报告标题下方（主送机关）；留空则为“市督查室”</translation>
        </message>
        <message>
            <source>Yellow light after overdue days</source>
            <translation>逾期超过多少天亮黄灯</translation>
        </message>
        <message>
            <source>Your password was changed.</source>
            <translation>密码已修改。</translation>
        </message>
        <message>
            <source>a section desk</source>
            <translation>科室端</translation>
        </message>
        <message>
            <source>left</source>
            <translation>已离岗</translation>
        </message>
        <message>
            <source>set by the city, read-only</source>
            <translation>由市平台设定，不能修改</translation>
        </message>
        <message>
            <source>the city</source>
            <translation>市平台</translation>
        </message>
        <message>
            <source>the unit</source>
            <translation>本单位</translation>
        </message>
        <message>
            <source>this desk</source>
            <translation>本科室端</translation>
        </message>
        <message>
            <source>this unit</source>
            <translation>本单位</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
    </context>
    <context>
        <name>SimilarPanel</name>
        <message>
            <source>  %1. %2 (day %3)</source>
            <translation>  %1. %2（开始后第 %3 天）</translation>
        </message>
        <message>
            <source>%1 similar problems, closest first (closed tasks first).</source>
            <translation>找到 %1 个相似问题，最相似的在前（已销号的优先）。</translation>
        </message>
        <message>
            <source>Choose a suggestion to see its measures and nodes.</source>
            <translation>选中一条，查看它的整改措施和节点。</translation>
        </message>
        <message>
            <source>Closed after %1 days.</source>
            <translation>用 %1 天完成销号。</translation>
        </message>
        <message>
            <source>Closed task</source>
            <translation>已销号</translation>
        </message>
        <message>
            <source>Copies the measures and the node plan into this task; you can change them before saving</source>
            <translation>把这条的整改措施和节点计划复制到本任务，保存前可以修改</translation>
        </message>
        <message>
            <source>Measures library</source>
            <translation>措施库</translation>
        </message>
        <message>
            <source>Measures:</source>
            <translation>整改措施：</translation>
        </message>
        <message>
            <source>No similar problem found.</source>
            <translation>没有找到相似的问题。</translation>
        </message>
        <message>
            <source>Nodes:</source>
            <translation>节点：</translation>
        </message>
        <message>
            <source>Past task</source>
            <translation>以往任务</translation>
        </message>
        <message>
            <source>Planned over %1 days.</source>
            <translation>计划用时 %1 天。</translation>
        </message>
        <message>
            <source>Similar problems</source>
            <translation>相似问题</translation>
        </message>
        <message>
            <source>Type the problem: similar past tasks and typical measures appear here.</source>
            <translation>输入问题后，这里列出以往相似的任务和常用整改措施。</translation>
        </message>
        <message>
            <source>Unit library</source>
            <translation>本单位措施库</translation>
        </message>
        <message>
            <source>Use these measures and nodes</source>
            <translation>采用这条的措施和节点</translation>
        </message>
    </context>
    <context>
        <name>TaskEditor</name>
        <message>
            <source>%1 · %2 bytes · attached to %3 · added %4 by %5
SHA-256: %6</source>
            <translation>%1 · %2 字节 · 关联到%3 · %4 由 %5 添加
SHA-256：%6</translation>
        </message>
        <message>
            <source>%s file(s). Select one to see its details.</source>
            <translation>共 %s 个文件。选中一个文件可查看详情。</translation>
        </message>
        <message>
            <source>(none — entered by this unit)</source>
            <translation>（无 — 本单位自行录入）</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>添加文件…</translation>
        </message>
        <message>
            <source>Add node</source>
            <translation>新增节点</translation>
        </message>
        <message>
            <source>Add node…</source>
            <translation>新增节点…</translation>
        </message>
        <message>
            <source>Adding evidence…</source>
            <translation>正在添加佐证材料…</translation>
        </message>
        <message>
            <source>All nodes are done: ask the city to close (销号) this task</source>
            <translation>全部节点已完成：申请市平台对本任务销号</translation>
        </message>
        <message>
            <source>Appeals</source>
            <translation>申诉</translation>
        </message>
        <message>
            <source>Appeal…</source>
            <translation>申诉…</translation>
        </message>
        <message>
            <source>Ask the city to reconsider a deduction, a return or a notice (申诉)</source>
            <translation>对扣分、退回或督办通知向市平台提出申诉</translation>
        </message>
        <message>
            <source>Attach to</source>
            <translation>关联到</translation>
        </message>
        <message>
            <source>Batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <source>Category *</source>
            <translation>类别 *</translation>
        </message>
        <message>
            <source>Changes</source>
            <translation>改动内容</translation>
        </message>
        <message>
            <source>Choose evidence files</source>
            <translation>选择佐证材料文件</translation>
        </message>
        <message>
            <source>City ref.</source>
            <translation>市平台编号</translation>
        </message>
        <message>
            <source>City reviews</source>
            <translation>市平台审核</translation>
        </message>
        <message>
            <source>City's comment</source>
            <translation>市平台意见</translation>
        </message>
        <message>
            <source>Confirm (second person)</source>
            <translation>核查确认（另一人）</translation>
        </message>
        <message>
            <source>Confirmed by</source>
            <translation>核查人</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Deadline *</source>
            <translation>整改期限 *</translation>
        </message>
        <message>
            <source>Deductions</source>
            <translation>扣分</translation>
        </message>
        <message>
            <source>Delete node</source>
            <translation>删除节点</translation>
        </message>
        <message>
            <source>Delete node %s?</source>
            <translation>确定删除节点 %s 吗？</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>问题描述</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>Done on</source>
            <translation>完成日期</translation>
        </message>
        <message>
            <source>Double-click to open</source>
            <translation>双击打开</translation>
        </message>
        <message>
            <source>Drag files here from the file manager, or use “Add files…”.</source>
            <translation>可以从文件管理器把文件拖到这里，或点击“添加文件…”。</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>节点期限</translation>
        </message>
        <message>
            <source>Evidence</source>
            <translation>佐证材料</translation>
        </message>
        <message>
            <source>Evidence quality: %s</source>
            <translation>佐证质量提示：%s</translation>
        </message>
        <message>
            <source>File sent by the city</source>
            <translation>市平台发来的附件</translation>
        </message>
        <message>
            <source>History</source>
            <translation>修改记录</translation>
        </message>
        <message>
            <source>Item</source>
            <translation>事项</translation>
        </message>
        <message>
            <source>Leader</source>
            <translation>责任领导</translation>
        </message>
        <message>
            <source>Measures</source>
            <translation>整改措施</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>下移</translation>
        </message>
        <message>
            <source>Move the selected node one place down (Alt+Down)</source>
            <translation>把选中的节点下移一位（Alt+↓）</translation>
        </message>
        <message>
            <source>Move the selected node one place up (Alt+Up)</source>
            <translation>把选中的节点上移一位（Alt+↑）</translation>
        </message>
        <message>
            <source>Move up</source>
            <translation>上移</translation>
        </message>
        <message>
            <source>New rectification task: fill in the fields marked * and save.</source>
            <translation>新建整改任务：请填写带 * 的项目后保存。</translation>
        </message>
        <message>
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>节点</translation>
        </message>
        <message>
            <source>Node %1 “%2” reported done.</source>
            <translation>节点 %1“%2”已填报完成。</translation>
        </message>
        <message>
            <source>Nodes</source>
            <translation>节点</translation>
        </message>
        <message>
            <source>Notices, reviews, deductions, appeals</source>
            <translation>督办、审核、扣分与申诉</translation>
        </message>
        <message>
            <source>One sentence naming the problem</source>
            <translation>用一句话写明问题</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <source>Open attachment</source>
            <translation>打开附件</translation>
        </message>
        <message>
            <source>Open the file the city sent with the notice</source>
            <translation>打开市平台随督办通知发来的文件</translation>
        </message>
        <message>
            <source>Owner *</source>
            <translation>责任人 *</translation>
        </message>
        <message>
            <source>Please name the person responsible (owner).</source>
            <translation>请填写责任人。</translation>
        </message>
        <message>
            <source>Problem *</source>
            <translation>问题（任务）*</translation>
        </message>
        <message>
            <source>Rectification task</source>
            <translation>整改任务</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Remove evidence</source>
            <translation>移除佐证材料</translation>
        </message>
        <message>
            <source>Remove “%s” from this task?</source>
            <translation>确定从本任务中移除“%s”吗？</translation>
        </message>
        <message>
            <source>Report done…</source>
            <translation>填报完成…</translation>
        </message>
        <message>
            <source>Report node %s done</source>
            <translation>填报节点 %s 完成</translation>
        </message>
        <message>
            <source>Reported by</source>
            <translation>填报人</translation>
        </message>
        <message>
            <source>Request sign-off</source>
            <translation>申请销号</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Save attachment as…</source>
            <translation>附件另存为…</translation>
        </message>
        <message>
            <source>Save the task report</source>
            <translation>保存任务报告</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>责任科室</translation>
        </message>
        <message>
            <source>Source *</source>
            <translation>来源 *</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Supervision notices</source>
            <translation>督办通知</translation>
        </message>
        <message>
            <source>Take the last step back (Ctrl+Z)</source>
            <translation>撤销刚才的一步（Ctrl+Z）</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>Task report (PDF)…</source>
            <translation>任务报告 (PDF)…</translation>
        </message>
        <message>
            <source>The person responsible: choose one of the unit's people, or type a new name</source>
            <translation>责任人：从本单位人员中选择，或输入新的姓名</translation>
        </message>
        <message>
            <source>The unit requests sign-off from the city after this desk's “Report to the unit”</source>
            <translation>销号由单位申请：本科室端“报送单位”后，由单位向市平台申请销号</translation>
        </message>
        <message>
            <source>The unit's second person confirms the node after this desk's “Report to the unit”</source>
            <translation>双人核查由单位确认：本科室端“报送单位”后，由单位的另一人核查确认</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Two-person check: a colleague other than the one who reported it confirms that the node is really done</source>
            <translation>双人核查：由填报人以外的另一位同事确认该节点确已完成</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>User</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>When you save, these %1 nodes are added: %2</source>
            <translation>保存时将添加这 %1 个节点：%2</translation>
        </message>
        <message>
            <source>node %s</source>
            <translation>节点 %s</translation>
        </message>
        <message>
            <source>the task</source>
            <translation>任务本身</translation>
        </message>
        <message>
            <source>“%s” was removed from this task.</source>
            <translation>已从此任务移除“%s”。</translation>
        </message>
    </context>
    <context>
        <name>UnitDialog</name>
        <message>
            <source>Correct the unit as the city's supervision office registered it. The code can only be changed before the first package is exchanged with the city.</source>
            <translation>请按市督查室登记的内容更正本单位。单位代码只能在与市督查平台交换第一个数据包之前修改。</translation>
        </message>
        <message>
            <source>Unit code</source>
            <translation>单位代码</translation>
        </message>
        <message>
            <source>Unit code and name</source>
            <translation>单位代码和名称</translation>
        </message>
        <message>
            <source>Unit name</source>
            <translation>单位名称</translation>
        </message>
    </context>
    <context>
        <name>UnitNoticeDialog</name>
        <message>
            <source>%1 (deadline %2)</source>
            <translation>%1（期限 %2）</translation>
        </message>
        <message>
            <source>Answer by</source>
            <translation>反馈期限</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>督办内容</translation>
        </message>
        <message>
            <source>Record notice</source>
            <translation>记录督办通知</translation>
        </message>
        <message>
            <source>Supervision notice to %1</source>
            <translation>向%1发督办通知</translation>
        </message>
        <message>
            <source>Tasks</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>The notice goes to %1 with the next “Send tasks…”; the section answers it at its desk.</source>
            <translation>督办通知随下一次“发送任务…”送达%1，由科室在科室端反馈。</translation>
        </message>
        <message>
            <source>The section answers by this day (7 days from today unless changed)</source>
            <translation>科室须在此日期前反馈（默认今天起 7 天）</translation>
        </message>
        <message>
            <source>Tick the tasks the notice is about (one notice per task)</source>
            <translation>勾选要督办的任务（每条任务一份督办通知）</translation>
        </message>
        <message>
            <source>What the section must do, and what to report back</source>
            <translation>写明要求科室做什么、反馈什么</translation>
        </message>
    </context>
</TS>
