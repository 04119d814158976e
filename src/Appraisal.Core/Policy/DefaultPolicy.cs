namespace Appraisal.Core.Policy;

/// <summary>
/// The seed policy (《客服 KPI 考核表》 and 《客服人员绩效考核管理办法》 with decisions D1–D15),
/// embedded in Core as a JSON document so that the product runs without any configuration.
/// </summary>
public static class DefaultPolicy
{
    private static readonly Lazy<byte[]> Bytes = new(ReadResource);
    private static readonly Lazy<PolicyDocument> Document = new(() => PolicyJson.Parse(Bytes.Value));

    /// <summary>The default policy, parsed and validated once.</summary>
    public static PolicyDocument Instance => Document.Value;

    /// <summary>The embedded document exactly as stored (UTF-8 JSON).</summary>
    public static ReadOnlySpan<byte> Utf8Json => Bytes.Value;

    private static byte[] ReadResource()
    {
        using var stream = typeof(DefaultPolicy).Assembly.GetManifestResourceStream("Appraisal.Core.default-policy.json")
            ?? throw new InvalidOperationException("The default policy is missing from the Appraisal.Core assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
