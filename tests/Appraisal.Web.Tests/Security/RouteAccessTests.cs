using System.Globalization;
using System.Net;
using System.Text.Json;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The access table over EVERY route of the application (pages, API, downloads) × every role × own / own
/// team / other team / himself × open or confirmed month (D16, D19, D22). The routes are read from the
/// application's <see cref="EndpointDataSource"/>: a route added without a row here fails
/// <see cref="Every_route_of_the_application_has_rows_in_the_table"/>.
/// <para>
/// Columns: anonymous, agent01 (E001, in sup1's team), sup1 (S001, leads E001–E006), hr, gm, admin.
/// {me} is the user's own person (admin has none: 0), {mate} E002 (sup1's team, another agent for agent01),
/// {stranger} E007 (sup2's team). {cur} is the open current month without results, {prev} the confirmed month
/// before it, {reopened} the month before that, reopened by the general manager so that it is open WITH results.
/// Writes are sent so that an allowed user is refused by validation or state (400/404/409) and nothing changes.
/// Status 401 stands for "sent to sign in", 403 for a refusal (a page's Forbid() lands on the 403 denied page).
/// </para>
/// </summary>
public sealed class RouteAccessTests(RouteAccessTests.App app) : IClassFixture<RouteAccessTests.App>
{
    private static readonly string?[] Users = [null, "agent01", "sup1", "hr", "gm", "admin"];

    /// <summary>Route (as the endpoint data source names it) → requests → expected status per user.</summary>
    internal static readonly (string Route, string Request, int[] Expected)[] Rows =
    [
        // ---- Pages ------------------------------------------------------------------- anon agent sup  hr   gm   admin
        ("PAGE /", "GET /", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Index", "GET /Index", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Account/Login", "GET /Account/Login", [200, 200, 200, 200, 200, 200]),
        ("PAGE /Account/Denied", "GET /Account/Denied", [403, 403, 403, 403, 403, 403]),
        ("PAGE /Account/Logout", "GET /Account/Logout", [401, 302, 302, 302, 302, 302]),
        ("PAGE /Error", "GET /Error", [200, 200, 200, 200, 200, 200]),
        ("PAGE /Months", "GET /Months", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Months/Index", "GET /Months/Index", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Months/Team", "GET /Months/Team?month={cur}", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Months/Team", "GET /Months/Team?month={prev}", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Months/Team", "GET /Months/Team?month=2026-13", [401, 404, 404, 404, 404, 404]),
        ("PAGE /Months/Facts", "GET /Months/Facts?month={cur}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Months/Facts", "GET /Months/Facts?month={prev}", [401, 403, 403, 200, 200, 403]),

        // D22: nobody but an agent has a sheet (404 for the visible non-agent); nobody sees their own supervisor sheet before publication.
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={cur}&person={me}&kind=Self", [401, 200, 404, 404, 404, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={cur}&person={me}&kind=Supervisor", [401, 403, 403, 403, 403, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={prev}&person={me}&kind=Supervisor", [401, 200, 404, 404, 404, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={cur}&person={mate}&kind=Self", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={cur}&person={mate}&kind=Supervisor", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={prev}&person={mate}&kind=Supervisor", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={cur}&person={stranger}&kind=Self", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month={cur}&person={stranger}&kind=Supervisor", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Sheets/Edit", "GET /Sheets/Edit?month=2026-13&person={mate}&kind=Self", [401, 404, 404, 404, 404, 404]),

        // Results: the overview ranks by name (not for agents); an open month's results reach only HR and the GM (D16).
        ("PAGE /Results/Month", "GET /Results/Month?month={prev}", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Results/Month", "GET /Results/Month?month={reopened}", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Results/Month", "GET /Results/Month?month=2026-13", [401, 403, 404, 404, 404, 403]),
        ("PAGE /Results/History", "GET /Results/History?person={me}", [401, 200, 200, 200, 200, 403]),
        ("PAGE /Results/History", "GET /Results/History?person={mate}", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Results/History", "GET /Results/History?person={stranger}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Pay/Payslip", "GET /Pay/Payslip?month={prev}&person={me}", [401, 200, 404, 404, 404, 403]),
        ("PAGE /Pay/Payslip", "GET /Pay/Payslip?month={prev}&person={mate}", [401, 403, 200, 200, 200, 403]),
        ("PAGE /Pay/Payslip", "GET /Pay/Payslip?month={prev}&person={stranger}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Pay/Payslip", "GET /Pay/Payslip?month={reopened}&person={me}", [401, 403, 403, 404, 404, 403]),
        ("PAGE /Pay/Payslip", "GET /Pay/Payslip?month={reopened}&person={mate}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Results/Reviews", "GET /Results/Reviews", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Results/Appeals", "GET /Results/Appeals", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Results/Decisions", "GET /Results/Decisions?month={prev}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Results/Decisions", "GET /Results/Decisions?month={reopened}", [401, 403, 403, 409, 409, 403]),

        // Downloads: the decision lists as Excel (D21), HR and the GM only.
        ("PAGE /Results/Decisions", "GET /Results/Decisions?handler=Excel&list=pay&month={prev}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Results/Decisions", "GET /Results/Decisions?handler=Excel&list=promotion&month={prev}", [401, 403, 403, 200, 200, 403]),

        ("PAGE /People", "GET /People", [401, 403, 403, 200, 200, 403]),
        ("PAGE /People/Index", "GET /People/Index", [401, 403, 403, 200, 200, 403]),
        ("PAGE /People/Detail", "GET /People/Detail?id={mate}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /People/MyData", "GET /People/MyData", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Audit", "GET /Audit", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Audit/Index", "GET /Audit/Index?what=sheet.submit", [401, 403, 403, 200, 200, 403]),
        ("PAGE /Status", "GET /Status?code=500", [404, 404, 404, 404, 404, 404]),
        ("PAGE /People/Detail", "GET /People/Detail?id={stranger}", [401, 403, 403, 200, 200, 403]),
        ("PAGE /People/Edit", "GET /People/Edit", [401, 403, 403, 200, 403, 403]),
        ("PAGE /People/Edit", "GET /People/Edit?id={stranger}", [401, 403, 403, 200, 403, 403]),
        ("PAGE /People/Accounts", "GET /People/Accounts", [401, 403, 403, 403, 403, 200]),
        ("PAGE /People/Import", "GET /People/Import", [401, 403, 403, 200, 403, 403]),
        ("PAGE /Months/Import", "GET /Months/Import?month={cur}", [401, 403, 403, 200, 403, 403]),
        ("PAGE /Months/Import", "GET /Months/Import?month={cur}&kind=adjustments", [401, 403, 403, 200, 403, 403]),
        ("PAGE /Months/Import", "GET /Months/Import?kind=history", [401, 403, 403, 200, 403, 403]),
        ("PAGE /Months/Import", "GET /Months/Import?month={cur}&kind=nonsense", [401, 403, 403, 404, 403, 403]),
        ("PAGE /Months/Import", "GET /Months/Import?month={cur}&handler=Template&format=csv", [401, 403, 403, 200, 403, 403]),
        ("PAGE /Policy", "GET /Policy", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Policy/Index", "GET /Policy/Index", [401, 200, 200, 200, 200, 200]),
        ("PAGE /Policy/Version", "GET /Policy/Version?id={policy}", [401, 200, 200, 200, 200, 200]),

        // ---- Non-page, non-API routes ------------------------------------------------
        ("GET /lang/{culture}", "GET /lang/en?returnUrl=/", [302, 302, 302, 302, 302, 302]),
        // Health for operators and load balancers: anonymous, no personal data (HealthTests).
        ("GET /health/live", "GET /health/live", [200, 200, 200, 200, 200, 200]),
        ("GET /health/ready", "GET /health/ready", [200, 200, 200, 200, 200, 200]),
        ("GET /openapi/{documentName}.json", "GET /openapi/v1.json", [401, 403, 403, 200, 200, 200]),
        ("GET /scalar/{documentName?}", "GET /scalar/v1", [401, 403, 403, 200, 200, 200]),
        // The reference page's own script and icon are the public Scalar bundle: no data, so no sign-in.
        ("GET /scalar/favicon.svg", "GET /scalar/favicon.svg", [200, 200, 200, 200, 200, 200]),
        ("GET /scalar/scalar.aspnetcore.js", "GET /scalar/scalar.aspnetcore.js", [200, 200, 200, 200, 200, 200]),
        ("GET /scalar/scalar.js", "GET /scalar/scalar.js", [200, 200, 200, 200, 200, 200]),

        // ---- API: months (HR opens and computes, the GM confirms and reopens) --------
        ("GET /api/months/", "GET /api/months", [401, 200, 200, 200, 200, 200]),
        ("GET /api/months/{month}", "GET /api/months/{prev}", [401, 200, 200, 200, 200, 200]),
        ("GET /api/months/{month}", "GET /api/months/2031-01", [401, 404, 404, 404, 404, 404]),
        ("GET /api/months/{month}", "GET /api/months/2026-13", [401, 400, 400, 400, 400, 400]),
        ("POST /api/months/", "POST /api/months|{\"month\":\"{cur}\"}", [401, 403, 403, 409, 403, 403]),
        // HR computes; the general manager may recompute before confirming (ComputeResults).
        ("POST /api/months/{month}/compute", "POST /api/months/{prev}/compute|{}", [401, 403, 403, 409, 409, 403]),
        ("POST /api/months/{month}/confirm", "POST /api/months/{prev}/confirm|{\"version\":-1}", [401, 403, 403, 403, 409, 403]),
        ("POST /api/months/{month}/reopen", "POST /api/months/{prev}/reopen|{\"reason\":\"\",\"version\":0}", [401, 403, 403, 403, 400, 403]),

        // ---- API: facts, adjustments, extensions (HR), talks (the team's supervisor) --
        ("GET /api/months/{month}/facts", "GET /api/months/{cur}/facts", [401, 403, 403, 200, 200, 403]),
        ("PUT /api/months/{month}/facts", "PUT /api/months/{cur}/facts|{\"rows\":[{\"personId\":0,\"salesPlan\":1,\"salesActual\":1,\"absentDays\":0}]}", [401, 403, 403, 400, 403, 403]),
        ("POST /api/months/{month}/adjustments", "POST /api/months/{cur}/adjustments|{\"person\":0,\"amount\":1,\"reason\":\"x\"}", [401, 403, 403, 400, 403, 403]),
        ("POST /api/months/{month}/extensions", "POST /api/months/{cur}/extensions|{\"person\":0,\"until\":null,\"reason\":\"x\"}", [401, 403, 403, 400, 403, 403]),
        ("PUT /api/months/{month}/talks/{person:int}", "PUT /api/months/{cur}/talks/{mate}|{\"date\":null,\"notes\":\"\"}", [401, 403, 400, 403, 403, 403]),
        ("PUT /api/months/{month}/talks/{person:int}", "PUT /api/months/{cur}/talks/{stranger}|{\"date\":null,\"notes\":\"\"}", [401, 403, 403, 403, 403, 403]),
        ("PUT /api/months/{month}/talks/{person:int}", "PUT /api/months/{cur}/talks/{me}|{\"date\":null,\"notes\":\"\"}", [401, 403, 403, 403, 403, 403]),

        // ---- API: imports (HR) ---------------------------------------------------------
        ("GET /api/imports/{kind}/template", "GET /api/imports/sales/template", [401, 403, 403, 200, 403, 403]),
        ("GET /api/imports/{kind}/template", "GET /api/imports/people/template?format=csv", [401, 403, 403, 200, 403, 403]),
        ("GET /api/imports/{kind}/template", "GET /api/imports/nonsense/template", [401, 403, 403, 404, 403, 403]),
        ("POST /api/imports/{kind}", "POST /api/imports/sales?month={cur}&fileName=x.xlsx|{}", [401, 403, 403, 400, 403, 403]),
        ("POST /api/imports/{kind}/paste", "POST /api/imports/sales/paste?month={cur}|{\"text\":\"\"}", [401, 403, 403, 400, 403, 403]),
        ("POST /api/imports/{kind}/paste", "POST /api/imports/sales/paste?month={prev}|{\"text\":\"工号\\t销售计划\\t实际销售额\\nE001\\t1\\t2\"}", [401, 403, 403, 409, 403, 403]),
        ("POST /api/imports/confirm/{token}", "POST /api/imports/confirm/x|{}", [401, 403, 403, 404, 403, 403]),

        // ---- API: sheets (D16, D19, D22) ---------------------------------------------
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/{prev}/sheets/{me}/supervisor", [401, 200, 404, 404, 404, 403]),
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/{cur}/sheets/{me}/supervisor", [401, 403, 403, 403, 403, 403]),
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/{cur}/sheets/{me}/self", [401, 404, 404, 404, 404, 403]),
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/{cur}/sheets/{mate}/supervisor", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/{prev}/sheets/{mate}/supervisor", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/{cur}/sheets/{stranger}/supervisor", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/sheets/{person:int}/{kind}", "GET /api/months/2026-13/sheets/{mate}/supervisor", [401, 400, 400, 400, 400, 400]),
        ("PUT /api/months/{month}/sheets/{person:int}/{kind}", "PUT /api/months/{cur}/sheets/{me}/self|{\"items\":[],\"submit\":true,\"version\":null}", [401, 400, 404, 404, 404, 403]),
        ("PUT /api/months/{month}/sheets/{person:int}/{kind}", "PUT /api/months/{cur}/sheets/{me}/supervisor|{\"items\":[],\"submit\":true,\"version\":null}", [401, 403, 403, 403, 403, 403]),
        ("PUT /api/months/{month}/sheets/{person:int}/{kind}", "PUT /api/months/{cur}/sheets/{mate}/supervisor|{\"items\":[],\"submit\":true,\"version\":null}", [401, 403, 409, 403, 403, 403]),
        ("PUT /api/months/{month}/sheets/{person:int}/{kind}", "PUT /api/months/{prev}/sheets/{mate}/supervisor|{\"items\":[],\"submit\":true,\"version\":null}", [401, 403, 409, 403, 403, 403]),
        ("PUT /api/months/{month}/sheets/{person:int}/{kind}", "PUT /api/months/{cur}/sheets/{mate}/self|{\"items\":[],\"submit\":true,\"version\":null}", [401, 403, 403, 403, 403, 403]),
        ("PUT /api/months/{month}/sheets/{person:int}/{kind}", "PUT /api/months/{cur}/sheets/{stranger}/supervisor|{\"items\":[],\"submit\":true,\"version\":null}", [401, 403, 403, 403, 403, 403]),

        // ---- API: results and pay (D16, D19) -------------------------------------------
        ("GET /api/months/{month}/results", "GET /api/months/{prev}/results", [401, 200, 200, 200, 200, 200]),
        ("GET /api/months/{month}/results", "GET /api/months/{reopened}/results", [401, 200, 200, 200, 200, 200]),
        ("GET /api/months/{month}/results", "GET /api/months/2026-13/results", [401, 400, 400, 400, 400, 400]),
        ("GET /api/people/{id:int}/results", "GET /api/people/{me}/results", [401, 200, 200, 200, 200, 403]),
        ("GET /api/people/{id:int}/results", "GET /api/people/{mate}/results", [401, 403, 200, 200, 200, 403]),
        ("GET /api/people/{id:int}/results", "GET /api/people/{stranger}/results", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/payslips/{person:int}", "GET /api/months/{prev}/payslips/{me}", [401, 200, 404, 404, 404, 403]),
        ("GET /api/months/{month}/payslips/{person:int}", "GET /api/months/{prev}/payslips/{mate}", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/payslips/{person:int}", "GET /api/months/{prev}/payslips/{stranger}", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/payslips/{person:int}", "GET /api/months/{reopened}/payslips/{me}", [401, 403, 403, 404, 404, 403]),
        ("GET /api/months/{month}/payslips/{person:int}", "GET /api/months/{reopened}/payslips/{mate}", [401, 403, 403, 200, 200, 403]),
        // Printed forms (PDF): the KPI form as the sheet page (a blank form before any sheet), a team's or the month's as the
        // team page, the payslip as the payslip page.
        ("GET /api/months/{month}/kpi-forms/{person:int}", "GET /api/months/{cur}/kpi-forms/{me}", [401, 200, 404, 404, 404, 403]),
        ("GET /api/months/{month}/kpi-forms/{person:int}", "GET /api/months/{prev}/kpi-forms/{me}", [401, 200, 404, 404, 404, 403]),
        ("GET /api/months/{month}/kpi-forms/{person:int}", "GET /api/months/{cur}/kpi-forms/{mate}", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/kpi-forms/{person:int}", "GET /api/months/{prev}/kpi-forms/{stranger}", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/kpi-forms/{person:int}", "GET /api/months/2026-13/kpi-forms/{mate}", [401, 400, 400, 400, 400, 400]),
        ("GET /api/months/{month}/kpi-forms", "GET /api/months/{cur}/kpi-forms", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/kpi-forms", "GET /api/months/{prev}/kpi-forms?team=999999", [401, 403, 404, 404, 404, 403]),
        ("GET /api/months/{month}/kpi-forms", "GET /api/months/2026-13/kpi-forms", [401, 400, 400, 400, 400, 400]),
        ("GET /api/months/{month}/payslips/{person:int}/pdf", "GET /api/months/{prev}/payslips/{me}/pdf", [401, 200, 404, 404, 404, 403]),
        ("GET /api/months/{month}/payslips/{person:int}/pdf", "GET /api/months/{prev}/payslips/{mate}/pdf", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/payslips/{person:int}/pdf", "GET /api/months/{prev}/payslips/{stranger}/pdf", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/payslips/{person:int}/pdf", "GET /api/months/{reopened}/payslips/{me}/pdf", [401, 403, 403, 404, 404, 403]),
        ("GET /api/months/{month}/payslips/{person:int}/pdf", "GET /api/months/{reopened}/payslips/{mate}/pdf", [401, 403, 403, 200, 200, 403]),
        ("POST /api/months/{month}/results/{person:int}/acknowledgement", "POST /api/months/{reopened}/results/{me}/acknowledgement|{}", [401, 409, 409, 409, 409, 403]),
        ("POST /api/months/{month}/results/{person:int}/acknowledgement", "POST /api/months/{prev}/results/{mate}/acknowledgement|{}", [401, 403, 403, 403, 403, 403]),
        ("POST /api/months/{month}/results/{person:int}/appeals", "POST /api/months/{prev}/results/{me}/appeals|{\"reason\":\" \"}", [401, 400, 400, 400, 400, 403]),
        ("POST /api/months/{month}/results/{person:int}/appeals", "POST /api/months/{prev}/results/{mate}/appeals|{\"reason\":\"x\"}", [401, 403, 403, 403, 403, 403]),

        // ---- API: exports (xlsx, CSV): the same access as the pages and queries they come from ----
        ("GET /api/months/{month}/results/export", "GET /api/months/{prev}/results/export?format=xlsx", [401, 403, 200, 200, 200, 403]),
        ("GET /api/months/{month}/results/export", "GET /api/months/{reopened}/results/export?format=csv", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/results/export", "GET /api/months/{prev}/results/export?format=pdf", [401, 400, 400, 400, 400, 400]),
        ("GET /api/months/{month}/payrun/export", "GET /api/months/{prev}/payrun/export?format=xlsx", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/payrun/export", "GET /api/months/{reopened}/payrun/export?format=csv", [401, 403, 403, 200, 200, 403]),
        ("GET /api/people/{id:int}/results/export", "GET /api/people/{me}/results/export?format=xlsx", [401, 200, 200, 200, 200, 403]),
        ("GET /api/people/{id:int}/results/export", "GET /api/people/{mate}/results/export?format=csv", [401, 403, 200, 200, 200, 403]),
        ("GET /api/people/{id:int}/results/export", "GET /api/people/{stranger}/results/export", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/audit/export", "GET /api/months/{prev}/audit/export?format=xlsx", [401, 403, 403, 200, 200, 403]),
        ("GET /api/months/{month}/audit/export", "GET /api/months/{cur}/audit/export?format=csv", [401, 403, 403, 200, 200, 403]),

        // ---- API: HR's and the GM's decisions ------------------------------------------
        ("GET /api/appeals", "GET /api/appeals", [401, 403, 403, 200, 200, 403]),
        ("POST /api/appeals/{id:int}/decision", "POST /api/appeals/999999/decision|{\"upheld\":false,\"note\":\"x\",\"version\":0}", [401, 403, 403, 404, 404, 403]),
        ("GET /api/reviews", "GET /api/reviews", [401, 403, 403, 200, 200, 403]),
        ("GET /api/reviews", "GET /api/reviews?month={prev}", [401, 403, 403, 200, 200, 403]),
        ("GET /api/reviews", "GET /api/reviews?month=2026-13", [401, 400, 400, 400, 400, 400]),
        ("POST /api/reviews/{id:int}/decision", "POST /api/reviews/999999/decision|{\"decision\":\"x\",\"version\":0}", [401, 403, 403, 404, 403, 403]),
        ("POST /api/reviews/{id:int}/steps", "POST /api/reviews/999999/steps|{\"kind\":\"training\",\"date\":\"2026-01-05\",\"note\":\"x\",\"version\":0}", [401, 403, 403, 404, 403, 403]),

        // ---- API: policy (published rules: everyone reads; HR drafts, the GM approves) --
        ("GET /api/policy/", "GET /api/policy", [401, 200, 200, 200, 200, 200]),
        ("GET /api/policy/versions", "GET /api/policy/versions", [401, 200, 200, 200, 200, 200]),
        ("GET /api/policy/versions/{id:int}", "GET /api/policy/versions/{policy}", [401, 200, 200, 200, 200, 200]),
        ("POST /api/policy/versions", "POST /api/policy/versions|{\"from\":999999}", [401, 403, 403, 404, 403, 403]),
        ("PUT /api/policy/versions/{id:int}", "PUT /api/policy/versions/999999|{\"policy\":{},\"note\":null,\"version\":0}", [401, 403, 403, 404, 403, 403]),
        ("POST /api/policy/versions/{id:int}/approval", "POST /api/policy/versions/999999/approval|{\"effectiveMonth\":\"2031-01\",\"version\":0}", [401, 403, 403, 403, 404, 403]),

        // ---- API: the evaluate engine (a pure computation over the request) --------------
        ("POST /api/evaluate", "POST /api/evaluate|{}", [401, 403, 403, 400, 400, 400]),
        ("GET /api/antiforgery", "GET /api/antiforgery", [401, 200, 200, 200, 200, 200]),
        ("GET /api/audit", "GET /api/audit", [401, 403, 403, 200, 200, 403]),
        ("GET /api/me/data", "GET /api/me/data", [401, 200, 200, 200, 200, 404]),
        ("GET /api/people/{id:int}/data", "GET /api/people/{me}/data", [401, 200, 200, 200, 200, 403]),
        ("GET /api/people/{id:int}/data", "GET /api/people/{stranger}/data", [401, 403, 403, 200, 200, 403]),
    ];

    public static TheoryData<string, string, int> Table()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (_, request, expected) in Rows)
        {
            for (var i = 0; i < Users.Length; i++)
            {
                data.Add(Users[i] ?? "anonymous", request, expected[i]);
            }
        }

        return data;
    }

    [Fact]
    public void Every_row_has_one_status_per_user() =>
        Assert.All(Rows, row => Assert.True(row.Expected.Length == Users.Length, row.Request));

    /// <summary>The requests of the table, for the page handler table's completeness check (<see cref="PageHandlerAccessTests"/>).</summary>
    internal static IEnumerable<string> Requests() => Rows.Select(r => r.Request);

    [Fact]
    public void Every_route_of_the_application_has_rows_in_the_table()
    {
        var routes = app.Routes();
        var covered = Rows.Select(r => r.Route).ToHashSet(StringComparer.Ordinal);
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        var missing = routes.Where(r => !covered.Contains(r)).ToList();
        var stale = covered.Where(r => !routes.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "routes without rows in the access table: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "rows for routes the application does not have: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Role_route_and_person_give_the_status_of_the_table(string user, string request, int expected)
    {
        var (method, url, body) = await app.FillAsync(request, user);
        var before = await app.FingerprintAsync();
        var client = await app.ClientAsync(user);
        var actual = await App.StatusAsync(client, method, url, body);

        Assert.True(expected == actual, $"{user} {method} {url}: expected {expected}, got {actual}");
        if (method != "GET" || url.StartsWith("/api/", StringComparison.Ordinal))
        {
            // A refused or invalid request changes nothing (a read of others' pay or data adds its audit entry only).
            Assert.Equal(before, await app.FingerprintAsync());
        }
    }

    /// <summary>The demo with {reopened} reopened by the general manager, and one signed-in client per user.</summary>
    public sealed class App : AppFactory
    {
        private readonly Dictionary<string, Task<HttpClient>> clients = [];
        private readonly SemaphoreSlim gate = new(1, 1);
        private Demo? demo;
        private int policyId;

        public string Reopened => demo!.Current.PlusMonths(-2).ToString();

        /// <summary>Every route as "METHOD /pattern", pages as "PAGE /pattern".</summary>
        public HashSet<string> Routes() =>
            Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null
                    ? ["PAGE"]
                    : e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"],
                    (e, m) => $"{m} /{e.RoutePattern.RawText?.TrimStart('/')}")
                .ToHashSet(StringComparer.Ordinal);

        public Task<HttpClient> ClientAsync(string user)
        {
            lock (clients)
            {
                if (!clients.TryGetValue(user, out var client))
                {
                    client = user == "anonymous" ? Task.FromResult(SignIn.Anonymous(this)) : SignIn.AsAsync(this, user);
                    clients[user] = client;
                }

                return client;
            }
        }

        public async Task<(string Method, string Url, JsonElement? Body)> FillAsync(string request, string user)
        {
            await PrepareAsync();
            var me = user switch
            {
                "agent01" or "anonymous" => Id("E001"),
                "sup1" => Id("S001"),
                "hr" => Id("H001"),
                "gm" => Id("M001"),
                _ => "0",
            };
            var text = request
                .Replace("{me}", me, StringComparison.Ordinal)
                .Replace("{mate}", Id("E002"), StringComparison.Ordinal)
                .Replace("{stranger}", Id("E007"), StringComparison.Ordinal)
                .Replace("{cur}", demo!.Current.ToString(), StringComparison.Ordinal)
                .Replace("{prev}", demo.Previous.ToString(), StringComparison.Ordinal)
                .Replace("{reopened}", Reopened, StringComparison.Ordinal)
                .Replace("{policy}", policyId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var parts = text[(space + 1)..].Split('|', 2);
            return (text[..space], parts[0], parts.Length > 1 ? JsonDocument.Parse(parts[1]).RootElement.Clone() : null);
        }

        /// <summary>The status of a request; a redirect to sign-in is 401, to the denied page 403.</summary>
        public static async Task<int> StatusAsync(HttpClient client, string method, string url, JsonElement? body)
        {
            if (url.StartsWith("/api/", StringComparison.Ordinal))
            {
                // Through the shared API helper, so that how it sends writes (antiforgery, content type) applies here too.
                return (int)(await client.SendAsync(method, url, body)).Status;
            }

            using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location)
            {
                var path = Browser.PathOf(location);
                return path.StartsWith("/Account/Login", StringComparison.Ordinal) ? 401
                    : path.StartsWith("/Account/Denied", StringComparison.Ordinal) ? 403
                    : 302;
            }

            return (int)response.StatusCode;
        }

        /// <summary>Counts of every table a request could change, without the audit of reads.</summary>
        public Task<string> FingerprintAsync() => DbAsync(async db => string.Join(",",
            await db.Months.SumAsync(m => m.Version), await db.Months.CountAsync(m => m.Status == MonthStatus.Confirmed), await db.Sheets.CountAsync(), await db.Sheets.SumAsync(s => s.Version),
            await db.Facts.SumAsync(f => f.Version), await db.PayAdjustments.CountAsync(), await db.WindowExtensions.CountAsync(),
            await db.FeedbackTalks.CountAsync(), await db.Results.CountAsync(), await db.Acknowledgements.CountAsync(), await db.Appeals.CountAsync(),
            await db.FlagReviews.SumAsync(r => r.Version), await db.PolicyVersions.CountAsync(),
            await db.Audit.CountAsync(a => a.Action != "pay.read" && a.Action != "personal-data.download")));

        public override async ValueTask DisposeAsync()
        {
            foreach (var client in clients.Values.Where(c => c.IsCompletedSuccessfully))
            {
                (await client).Dispose();
            }

            gate.Dispose();
            await base.DisposeAsync();
        }

        private string Id(string employeeNo) => demo!.Id(employeeNo).ToString(CultureInfo.InvariantCulture);

        private async Task PrepareAsync()
        {
            await gate.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                if (demo is not null)
                {
                    return;
                }

                var loaded = await Demo.LoadAsync(this);
                var reopened = loaded.Current.PlusMonths(-2).ToString();
                using (var scope = CreateScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<global::Appraisal.App.Data.AppDbContext>();
                    var month = await db.Months.AsNoTracking().SingleAsync(m => m.Month == reopened, TestContext.Current.CancellationToken);
                    var gm = new Actor("gm", loaded.Id("M001"), new HashSet<string> { Roles.GeneralManager });
                    await scope.ServiceProvider.GetRequiredService<ReopenMonth>()
                        .ExecuteAsync(gm, month.Id, "访问表测试：一个有结果的进行中月份", null, month.Version, TestContext.Current.CancellationToken);
                }

                policyId = await WithServiceAsync<PolicyStore, int>(async p => (await p.InForceRowAsync(loaded.Current, TestContext.Current.CancellationToken))!.Id);
                demo = loaded;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}

/// <summary>What the open month's results look like to each reader (D16), and how a month typed wrong is answered.</summary>
public sealed class OpenMonthResultsTests(RouteAccessTests.App app) : IClassFixture<RouteAccessTests.App>
{
    [Fact]
    public async Task A_supervisor_sees_nothing_of_an_open_months_results_anywhere_and_HR_sees_it_all()
    {
        await app.FillAsync("GET /", "hr");
        var mate = await app.PersonIdAsync("E002");
        var sup1 = await app.ClientAsync("sup1");
        var hr = await app.ClientAsync("hr");

        var api = (await sup1.SendAsync("GET", $"/api/months/{app.Reopened}/results")).AssertOk();
        Assert.False(api.GetProperty("published").GetBoolean());
        Assert.Equal(0, api.GetProperty("results").GetArrayLength());
        Assert.Equal(12, (await hr.SendAsync("GET", $"/api/months/{app.Reopened}/results")).AssertOk().GetProperty("results").GetArrayLength());

        var overview = await sup1.GetStringAsync($"/Results/Month?month={app.Reopened}", TestContext.Current.CancellationToken);
        Assert.Empty(Html.PersonRows(overview));
        Assert.Contains("尚未经总经理确认发布", overview, StringComparison.Ordinal);
        Assert.Equal(12, Html.PersonRows(await hr.GetStringAsync($"/Results/Month?month={app.Reopened}", TestContext.Current.CancellationToken)).Count);

        var history = (await sup1.SendAsync("GET", $"/api/people/{mate}/results")).AssertOk();
        var months = history.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("month").GetString()).ToList();
        Assert.NotEmpty(months);
        Assert.DoesNotContain(app.Reopened, months);
        // The 12-month charts name every calendar month of their window; the open month is a gap there (no score,
        // no pay), and the list of results below them does not have it.
        var supervisorHistory = await sup1.GetStringAsync($"/Results/History?person={mate}", TestContext.Current.CancellationToken);
        var charts = System.Text.RegularExpressions.Regex.Match(supervisorHistory, "<section class=\"history-charts\".*?</section>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.DoesNotContain(app.Reopened, supervisorHistory.Replace(charts, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var gaps = System.Text.RegularExpressions.Regex.Matches(charts, $"<tr[^>]*data-category=\"{app.Reopened}\"[^>]*>\\s*<th scope=\"row\">[^<]*</th>(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(charts.Contains(app.Reopened, StringComparison.Ordinal) ? 2 : 0, gaps.Count);
        foreach (System.Text.RegularExpressions.Match cells in gaps)
        {
            Assert.DoesNotMatch("\\d", System.Text.RegularExpressions.Regex.Replace(cells.Groups[1].Value, "<[^>]*>", string.Empty));
        }
        Assert.Contains(app.Reopened, await hr.GetStringAsync($"/Results/History?person={mate}", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/months/2026-13/results")]
    [InlineData("/api/months/26-01")]
    [InlineData("/api/months/2026-1x/sheets/1/self")]
    [InlineData("/api/reviews?month=２０２６-０１")]
    public async Task A_month_typed_wrong_in_the_API_is_a_bilingual_400_naming_it(string url)
    {
        var client = await app.ClientAsync("hr");
        var answer = await client.SendAsync("GET", url);
        answer.AssertProblem(System.Net.HttpStatusCode.BadRequest);
        var typed = System.Text.RegularExpressions.Regex.Match(url, "(?:months/|month=)([^/&]+)").Groups[1].Value;
        Assert.Contains(typed, answer.Body.GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Contains(typed, answer.Body.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Contains("YYYY-MM", answer.Body.GetProperty("en").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Results/Month?month=2026-13")]
    [InlineData("/Results/Decisions?month=2026-13")]
    [InlineData("/Results/Reviews?month=2026-13")]
    [InlineData("/Pay/Payslip?month=2026-13&person=1")]
    [InlineData("/Months/Team?month=2026-13")]
    [InlineData("/Sheets/Edit?month=2026-13&person=1&kind=Self")]
    [InlineData("/Results/Month?month=2031-01")]
    [InlineData("/Months/Facts?month=2026-13")]
    [InlineData("/Months/Facts?month=2031-01")]
    [InlineData("/Months/Import?month=2026-13")]
    [InlineData("/Months/Import?month=2031-01&kind=sales")]
    public async Task A_month_typed_wrong_on_a_page_is_a_404_page_saying_so(string url)
    {
        var client = await app.ClientAsync("hr");
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var month = System.Text.RegularExpressions.Regex.Match(url, "month=([^&]+)").Groups[1].Value;
        Assert.Contains(month, Html.Error(html) ?? string.Empty, StringComparison.Ordinal);
    }
}
