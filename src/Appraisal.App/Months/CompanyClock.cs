namespace Appraisal.App.Months;

/// <summary>The company's calendar: deadlines such as 第六条's 3~6日 are days in the company's time zone, not UTC.</summary>
public sealed class CompanyClock(TimeProvider clock, IConfiguration configuration)
{
    /// <summary>The zone of a company that has not set <c>Company:TimeZone</c>: the customer's, China Standard Time.</summary>
    public static TimeZoneInfo DefaultZone { get; } = FindZone("Asia/Shanghai");

    private readonly TimeZoneInfo zone = configuration["Company:TimeZone"] is { Length: > 0 } id ? FindZone(id) : DefaultZone;

    /// <summary>The company's time zone (<c>Company:TimeZone</c>, default Asia/Shanghai), e.g. for <see cref="Localization.L.Zone"/>.</summary>
    public TimeZoneInfo Zone => zone;

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;

    /// <summary>A stored (UTC) instant as the company's wall clock shows it, with its offset.</summary>
    public DateTimeOffset Local(DateTime utc) => TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone);

    /// <summary>The UTC instant at which <paramref name="day"/> begins in the company's time zone.</summary>
    public DateTime StartOfDayUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            // A day that begins in a clock change starts at the first minute that exists.
            local = local.AddMinutes(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine without tz data still gets China Standard Time, the customer's zone.
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}
