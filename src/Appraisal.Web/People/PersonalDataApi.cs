using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Appraisal.App.People;

namespace Appraisal.Web.People;

/// <summary>
/// <c>GET /api/me/data</c>: the signed-in person's own data as one JSON file (D25, PIPL Art. 45);
/// <c>GET /api/people/{id}/data</c>: the same file of anyone, for HR and the general manager (audited).
/// </summary>
public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Personal data").WithUserErrors();
        api.MapGet("/me/data", MineAsync)
            .WithName("GetMyData")
            .WithSummary("Everything held about the signed-in person, as one JSON file (D25)")
            .WithDescription("Person, account (no password), sheets, facts, published results with pay, adjustments, extensions, feedback talks, appeals, "
                + "acknowledgements, flag reviews and audit entries about or by the person. Times UTC with offset. 404 for an account without a person.")
            .Produces<PersonalDataFile>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/people/{id:int}/data", PersonAsync)
            .WithName("GetPersonData")
            .WithSummary("Everything held about one person, for HR and the general manager (D25; audited)")
            .Produces<PersonalDataFile>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<FileContentHttpResult> MineAsync(ReadPersonalData read, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var person = actor.PersonId ?? throw ReadPersonalData.NoPerson();
        return File(await read.ExecuteAsync(actor, person, ct));
    }

    public static async Task<FileContentHttpResult> PersonAsync([Description("The person's id")] int id, ReadPersonalData read, HttpContext http, CancellationToken ct) =>
        File(await read.ExecuteAsync(Actor.From(http.User), id, ct));

    internal static FileContentHttpResult File(PersonalDataFile file) =>
        TypedResults.File(ReadPersonalData.ToUtf8(file), "application/json; charset=utf-8", ReadPersonalData.FileName(file));
}
