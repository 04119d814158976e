using Appraisal.App.Localization;
using Appraisal.App.People;

namespace Appraisal.App.Audit;

/// <summary>
/// The audit log in plain words (D25): each action key and changed field as people read it, in Chinese and
/// English. Screens show these labels, never the keys; an action without a label reads "other action".
/// </summary>
public static class AuditWords
{
    /// <summary>Written by <see cref="ReadPersonalData"/> when HR or the general manager downloads another person's data.</summary>
    public const string PersonalDataDownload = "personal-data.download";

    /// <summary>Every action of the log with its label, in the order the search offers them.</summary>
    public static readonly IReadOnlyList<(string Key, string Zh, string En)> Actions =
    [
        ("month.open", "开启考核月份", "month opened"),
        ("sheet.save", "保存考核表草稿", "sheet saved as draft"),
        ("sheet.submit", "提交考核表", "sheet submitted"),
        ("window.extend", "延长个人考核期", "appraisal window extended"),
        ("facts.save", "录入销售、缺岗与参评资格", "sales, absence or eligibility entered"),
        ("pay.adjust", "工资调整", "pay adjusted"),
        ("feedback.record", "记录反馈面谈", "feedback talk recorded"),
        ("results.compute", "计算结果", "results computed"),
        ("month.confirm", "总经理确认", "month confirmed by the general manager"),
        ("month.reopen", "重新开启月份", "month reopened"),
        ("result.acknowledge", "确认已阅结果", "result acknowledged"),
        ("appeal.file", "申请复议", "appeal filed"),
        ("appeal.uphold", "支持复议", "appeal upheld"),
        ("appeal.reject", "驳回复议", "appeal rejected"),
        ("review.decide", "人事复核决定", "HR review decided"),
        ("review.step", "人事复核步骤", "HR review step recorded"),
        ("pay.read", "查看他人工资", "another person's pay read"),
        ("policy.draft", "起草政策版本", "policy version drafted"),
        ("policy.edit", "修改政策草案", "policy draft edited"),
        ("policy.approve", "批准政策版本", "policy version approved"),
        ("person.create", "新增人员", "person added"),
        ("import.apply", "导入文件", "file imported"),
        ("team.create", "新增组别", "team added"),
        ("history.create", "导入以往月份的考核记录", "past month's appraisal imported"),
        ("history.update", "修改导入的以往月份记录", "imported past month's appraisal changed"),
        ("team.update", "修改组别主管", "team's supervisor changed"),
        ("person.update", "修改人员信息", "person changed"),
        ("account.create", "创建账户", "account created"),
        ("account.reset-password", "重置密码", "password reset"),
        ("account.unlock", "解锁账户", "account unlocked"),
        ("account.lock", "停用账户（锁定）", "account locked out"),
        ("account.follow-person", "账户随人员变更：角色已更新，会话已结束", "account follows the person: role updated, sessions ended"),
        ("account.email", "修改账户电子邮箱", "account e-mail address changed"),
        (PersonalDataDownload, "下载个人数据", "personal data downloaded"),
    ];

    /// <summary>The fields whose old → new values the log records, with their labels.</summary>
    private static readonly Dictionary<string, (string Zh, string En)> Fields = new(StringComparer.Ordinal)
    {
        ["salesPlan"] = ("销售计划", "sales plan"),
        ["salesActual"] = ("实际销售额", "actual sales"),
        ["absentDays"] = ("缺岗天数", "absence days"),
        ["eligibility"] = ("参评资格", "eligibility"),
        ["overrideReason"] = ("覆盖原因", "override reason"),
        ["otherPay"] = ("其他（调整合计）", "other pay (adjustments in total)"),
        ["windowUntil"] = ("考核期截止", "window ends"),
        ["policyInForce"] = ("适用政策版本", "policy version in force"),
        ["employeeNo"] = ("工号", "employee number"),
        ["name"] = ("姓名", "name"),
        ["role"] = ("角色", "role"),
        ["team"] = ("组别", "team"),
        ["supervisor"] = ("主管", "supervisor"),
        ["hireDate"] = ("入职日期", "hiring date"),
        ["leaveDate"] = ("离职日期", "leaving date"),
        ["active"] = ("在用", "active"),
        ["email"] = ("电子邮箱", "e-mail address"),
        ["locked"] = ("已停用", "locked out"),
        ["maySignIn"] = ("可以登录", "may sign in"),
    };

    private static readonly Dictionary<string, (string Zh, string En)> ActionLabels =
        Actions.ToDictionary(a => a.Key, a => (a.Zh, a.En), StringComparer.Ordinal);

    public static bool IsAction(string? key) => key is not null && ActionLabels.ContainsKey(key);

    public static bool IsField(string key) => Fields.ContainsKey(key);

    /// <summary>The action in the reader's language.</summary>
    public static string Action(string key) =>
        ActionLabels.TryGetValue(key, out var label) ? L.T(label.Zh, label.En) : L.T("其他操作", "other action");

    public static (string Zh, string En) ActionBoth(string key) =>
        ActionLabels.TryGetValue(key, out var label) ? label : ("其他操作", "other action");

    public static string Field(string key) =>
        Fields.TryGetValue(key, out var label) ? L.T(label.Zh, label.En) : L.T("其他字段", "other field");

    public static (string Zh, string En) FieldBoth(string key) =>
        Fields.TryGetValue(key, out var label) ? label : ("其他字段", "other field");

    /// <summary>A recorded value in the reader's language: "—" for none, words for the coded ones.</summary>
    public static string Value(string field, string? value) => (field, value) switch
    {
        ("eligibility", null) => L.T("按缺岗规则", "by the absence rule"),
        (_, null) => "—",
        ("eligibility", "include") => L.T("调整为参评", "included by HR"),
        ("eligibility", "exclude") => L.T("调整为不参评", "excluded by HR"),
        ("active" or "locked" or "maySignIn", "true") => L.T("是", "yes"),
        ("active" or "locked" or "maySignIn", "false") => L.T("否", "no"),
        ("role", _) => L.T(Roles.DisplayZh(value), Roles.DisplayEn(value)),
        _ => value,
    };
}
