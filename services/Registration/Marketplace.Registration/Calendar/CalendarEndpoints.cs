using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Registration.Applications;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Registration.Calendar;

internal sealed record CalendarYearSummary(int Year, bool Loaded, string? Source, DateTimeOffset? MissingAnnouncedAt, DateTimeOffset UpdatedAt, long Version);

/// <param name="History">the audit trail (who changed what, when): for admins only.</param>
internal sealed record CalendarYearResponse(int Year, string? Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingDays,
    DateTimeOffset UpdatedAt, long Version, IReadOnlyList<CalendarChange>? History)
{
    public static CalendarYearResponse From(CalendarYear y, MarketUser? reader) =>
        new(y.Year, y.Source, y.Holidays, y.WorkingDays, y.UpdatedAt, y.Version, reader?.Role == Roles.Admin ? y.History : null);
}

/// <summary>The answer to a load or correction: the year, and how many pending decisions were recounted on it.</summary>
internal sealed record CalendarSetResponse(CalendarYearResponse Calendar, bool Changed, int DeadlinesRecounted);

/// <summary>
/// <c>/api/working-calendar</c>: the official working-day calendar deadlines are counted on. Anyone reads it
/// (it is the State Council's public notice); only admins load or correct a year, and only they see its audit trail.
/// </summary>
internal static class CalendarEndpoints
{
    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/working-calendar").WithTags("Working calendar 工作日历");
        group.MapGet("/", List).AllowAnonymous()
            .ProducesProblems(400)
            .WithSummary("已载入及缺失的年份（新的在前）/ The years loaded, and the years deadlines reached without a calendar (latest first)");
        group.MapGet("/{year}", Get).AllowAnonymous()
            .ProducesProblems(400, 404)
            .WithSummary("某年的节假日与调休工作日 / A year's holidays and made-up working days");
        group.MapPut("/{year}", Put).RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .ProducesProblems(400, 401, 403, 412, 413, 415)
            .WithSummary("载入或更正某年的日历（管理员；更正时可带 If-Match）/ Load or correct a year's calendar (admin; If-Match when correcting)");
        return app;
    }

    private static async Task<Ok<Paged<CalendarYearSummary>>> List(WorkingCalendars calendars, CancellationToken ct, int? page, int? pageSize) =>
        TypedResults.Ok(await Paging.From(page, pageSize).QueryAsync(calendars.Years, [], "year",
            y => new CalendarYearSummary(y.Year, y.Loaded, y.Source, y.MissingAnnouncedAt, y.UpdatedAt, y.Version), ct));

    private static async Task<OkWithETag<CalendarYearResponse>> Get(string year, MarketUser? user, WorkingCalendars calendars, CancellationToken ct)
    {
        var found = await calendars.ReadAsync(ParseYear(year), ct);
        return MarketResults.OkWithETag(CalendarYearResponse.From(found, user), found.Version);
    }

    private static async Task<OkWithETag<CalendarSetResponse>> Put(string year, CalendarInput? input, MarketUser user, HttpRequest request,
        WorkingCalendars calendars, RegistrationService registrations, CancellationToken ct)
    {
        var (saved, changed) = await calendars.SetAsync(ParseYear(year), input, ETags.OptionalIfMatch(request), user, ct);
        // every load recounts, changed or not: a recount cut short (a store error, a lost connection) is finished by
        // sending the same calendar again; only the deadlines that move are written
        var recounted = await registrations.RecountDeadlinesAsync(ct);
        return MarketResults.OkWithETag(new CalendarSetResponse(CalendarYearResponse.From(saved, user), changed, recounted), saved.Version);
    }

    private static int ParseYear(string year)
    {
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            throw ValidationFailedException.For("year", $"年份应为四位数字，例如 2027 / The year is four digits, e.g. 2027 (not '{year}').");
        CalendarRules.Year(parsed);
        return parsed;
    }
}
