using System.Globalization;
using Appraisal.App.Months;

namespace Appraisal.App.Reminders;

/// <summary>A text in both languages: the notice shows one, an e-mail both (Chinese first).</summary>
public sealed record Words(string Zh, string En)
{
    public string Local => Localization.L.T(Zh, En);
}

/// <summary>
/// The words of the reminders, shared by the home page's notices and the e-mails (issue 9), with every time in
/// the company's time zone (<see cref="CompanyClock"/>) and the policy's clauses (第六条) rather than internal rules.
/// </summary>
public static class ReminderText
{
    /// <summary>An instant as the company's clock shows it, e.g. <c>2026-06-06 23:59 (UTC+08:00)</c>.</summary>
    public static string Time(DateTimeOffset local) =>
        local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC" + local.ToString("zzz", CultureInfo.InvariantCulture) + ")";

    /// <summary>The last minute of the window's last day, in company time.</summary>
    public static DateTimeOffset EndOfDay(CompanyClock clock, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return clock.Local(clock.StartOfDayUtc(day.AddDays(1)).AddMinutes(-1));
    }

    public static Words SelfSheet(string month, string deadline, bool dueTomorrow) => dueTomorrow
        ? new($"提醒：{month} 的自评尚未提交，截止时间为 {deadline}（第六条：次月 3~6 日）。",
            $"Reminder: your self-assessment for {month} is not submitted yet; the deadline is {deadline} (第六条: the 3rd–6th of the following month).")
        : new($"{month} 的考核期已开始，请在 {deadline} 前提交您的自评（第六条：次月 3~6 日）。",
            $"The appraisal window for {month} is open: please submit your self-assessment by {deadline} (第六条: the 3rd–6th of the following month).");

    public static Words TeamSheets(string month, int count, string names, string deadline, bool dueTomorrow) => dueTomorrow
        ? new($"提醒：{month} 还有 {count} 名组员的主管评分未提交（{names}），截止时间为 {deadline}（第六条）。",
            $"Reminder: {count} team member(s) still to assess for {month} ({names}); the deadline is {deadline} (第六条).")
        : new($"{month} 的考核期已开始：请在 {deadline} 前为 {count} 名组员提交主管评分（{names}）（第六条）。",
            $"The appraisal window for {month} is open: please assess {count} team member(s) by {deadline} ({names}) (第六条).");

    public static Words ReadyToConfirm(string month) =>
        new($"{month} 的考核结果已计算完毕，等待您审核并确认发布（总经理确认）。",
            $"The {month} results are computed and wait for your review and confirmation.");

    public static Words Published(string month, int appealDays, string appealUntil) =>
        new($"您 {month} 的考核结果与工资已发布。请查看并确认；如有异议，可在 {appealUntil} 前（确认后 {appealDays} 天内）申请复议。",
            $"Your {month} result and pay are published. Please review and acknowledge them; if you disagree you may appeal until {appealUntil} ({appealDays} days after confirmation).");

    public static Words AppealFiled(string month, string who, string at) =>
        new($"{who} 于 {at} 对 {month} 的考核结果申请复议，请处理。",
            $"{who} appealed against the {month} result on {at}; please decide it.");

    public static Words Subject(string kind, string month) => kind switch
    {
        ReminderKinds.WindowOpen => new($"【绩效考核】{month} 考核期已开始", $"Appraisal window for {month} is open"),
        ReminderKinds.WindowDue => new($"【绩效考核】{month} 考核明天截止", $"Appraisal for {month} closes tomorrow"),
        ReminderKinds.ReadyToConfirm => new($"【绩效考核】{month} 结果待确认", $"{month} results ready to confirm"),
        ReminderKinds.ResultPublished => new($"【绩效考核】{month} 考核结果已发布", $"Your {month} result is published"),
        ReminderKinds.AppealFiled => new($"【绩效考核】{month} 新的复议申请", $"New appeal for {month}"),
        _ => new($"【绩效考核】{month}", month),
    };

    /// <summary>An e-mail's body: the greeting, the text and the link in Chinese, then the same in English.</summary>
    public static string Body(string name, Words text, string link) =>
        $"{name}，您好：\n\n{text.Zh}\n\n请打开：{link}\n\n（此邮件由绩效考核系统自动发送，请勿回复。）\n\n"
        + $"----------------------------------------\n\nHello {name},\n\n{text.En}\n\nOpen: {link}\n\n(Sent automatically by the appraisal system; please do not reply.)\n";
}
