namespace Appraisal.App;

/// <summary>One problem of a request, where it is and what is wrong in both languages (D3).</summary>
public sealed record ApiError(string Where, string Zh, string En)
{
    /// <summary>
    /// The pages where the problem is put right (the person's sheet, their row of facts), for the pages' outcome
    /// message; not part of the API's problem documents.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ErrorLink> Links { get; init; } = [];
}

/// <summary>A page where a problem is put right, and the words of the link in both languages.</summary>
public sealed record ErrorLink(string Href, string Zh, string En);

/// <summary>
/// A request the rules refuse, with a message for the person in both languages. Pages show it at the
/// top of the page (the shared outcome message), each problem with a link where there is one; the API returns it as a problem (400, or 409 for a concurrent edit).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Read at call sites as `throw new UserError(...)`: a refusal for the user, not a fault.")]
public sealed class UserError : Exception
{
    public UserError(string zh, string en, int status = 400)
        : base(en)
    {
        Zh = zh;
        En = en;
        Status = status;
    }

    public UserError()
        : this("请求无效", "invalid request")
    {
    }

    public UserError(string message)
        : this(message, message)
    {
    }

    public UserError(string message, Exception innerException)
        : base(message, innerException)
    {
        Zh = message;
        En = message;
        Status = 400;
    }

    public string Zh { get; }

    public string En { get; }

    public int Status { get; }

    /// <summary>Each problem of a request that had several, for the API's <c>errors</c> list (D3); null for one.</summary>
    public IReadOnlyList<ApiError>? Errors { get; init; }

    public string Localized => Localization.L.T(Zh, En);

    public static UserError Conflict() => new("该记录已被他人修改，请刷新后重试", "someone else changed this record; reload and try again", 409);

    public static UserError Forbidden() => new("无权访问", "access denied", 403);

    public static UserError NotFound() => new("未找到", "not found", 404);
}
