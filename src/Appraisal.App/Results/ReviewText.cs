namespace Appraisal.App.Results;

/// <summary>
/// The one sentence D13 asks the UI to show wherever a 自动请辞 flag appears: why the product flags
/// for HR review and never marks anyone as resigned.
/// </summary>
public static class ReviewText
{
    public static string WhyNoAutomaticExit => Localization.L.T(
        "“需人事复核”只提示人事部门复核：依据《劳动合同法》第四十条第二项和最高人民法院指导案例 18 号，考核排名末位或不及格本身不等于不能胜任工作，须先经培训或调整岗位、重新考核，仍不能胜任的再书面通知（第四十二条保护的员工另有限制），因此本系统从不自动将任何人标记为离职。",
        "“HR review required” only asks HR to review: under Labour Contract Law Art. 40(2) and Supreme People's Court Guiding Case No. 18 a last place or a failing grade is not by itself incompetence — training or a job change, then re-appraisal, then written notice must come first (and Art. 42 protects some employees further) — so the product never marks anyone as resigned.");

    public static string Badge => Localization.L.T("需人事复核", "HR review required");
}
