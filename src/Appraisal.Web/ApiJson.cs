using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;

namespace Appraisal.Web;

/// <summary>
/// Source-generated JSON for the API's bodies: no reflection at run time, which keeps large answers such
/// as a month of 2 000 results fast (issue 3).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiError[]))]
[JsonSerializable(typeof(MonthDto))]
[JsonSerializable(typeof(List<MonthDto>))]
[JsonSerializable(typeof(OpenMonthRequest))]
[JsonSerializable(typeof(ConfirmMonthRequest))]
[JsonSerializable(typeof(ReopenMonthRequest))]
[JsonSerializable(typeof(ComputeResponse))]
[JsonSerializable(typeof(MonthResultsResponse))]
[JsonSerializable(typeof(PersonResultsResponse))]
[JsonSerializable(typeof(SheetDto))]
[JsonSerializable(typeof(SaveSheetRequest))]
[JsonSerializable(typeof(PolicyVersionDto))]
[JsonSerializable(typeof(List<PolicyVersionDto>))]
[JsonSerializable(typeof(FactsResponse))]
[JsonSerializable(typeof(SaveFactsRequest))]
[JsonSerializable(typeof(SaveFactsResponse))]
[JsonSerializable(typeof(AdjustmentRequest))]
[JsonSerializable(typeof(AdjustmentDto))]
[JsonSerializable(typeof(ExtensionRequest))]
[JsonSerializable(typeof(ExtensionDto))]
[JsonSerializable(typeof(TalkRequest))]
[JsonSerializable(typeof(TalkDto))]
[JsonSerializable(typeof(PayslipDto))]
[JsonSerializable(typeof(AppealRequest))]
[JsonSerializable(typeof(AcknowledgementResponse))]
[JsonSerializable(typeof(AppealDto))]
[JsonSerializable(typeof(List<AppealDto>))]
[JsonSerializable(typeof(DecideAppealRequest))]
[JsonSerializable(typeof(ReviewDto))]
[JsonSerializable(typeof(List<ReviewDto>))]
[JsonSerializable(typeof(DecideReviewRequest))]
[JsonSerializable(typeof(ReviewStepRequest))]
[JsonSerializable(typeof(DraftPolicyRequest))]
[JsonSerializable(typeof(EditPolicyRequest))]
[JsonSerializable(typeof(ApprovePolicyRequest))]
[JsonSerializable(typeof(Health.HealthApi.HealthAnswer))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Registers <see cref="ApiJsonContext"/> for the minimal API.</summary>
public static class ApiJson
{
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);

            // Names and labels are Chinese: \uXXXX escapes would make the answers unreadable, so every script is
            // written as it is; but < > & ' " are still escaped, so that text a user typed (an item key, a month)
            // never comes back as markup, even from a client that renders a problem's message as HTML.
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

            // A body naming a field twice is refused (400, naming the place), not read as "the last one wins":
            // which of two amounts or versions was meant cannot be guessed.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
}
