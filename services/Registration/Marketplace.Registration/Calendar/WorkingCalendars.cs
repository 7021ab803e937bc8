using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Registration.Calendar;

/// <summary>
/// The official working-day calendar, kept in the registration store a year per document: read by every
/// deadline (a read model that is recomputed only when a year is loaded or corrected), written by admins
/// and by the shipped reference data, and told about years that deadlines reach without a calendar.
/// </summary>
internal sealed class WorkingCalendars(AggregateStore<CalendarYear> years, TimeProvider time)
{
    public const string Collection = "working_calendar";

    // the stamp of the whole collection: every load or correction of a year makes the next read afresh
    private readonly DerivedValues<int, WorkingCalendar> _current = new(years.Store, years.Collection, [], time, TimeSpan.FromSeconds(2), capacity: 1);

    public AggregateStore<CalendarYear> Years => years;

    /// <summary>The calendar of every loaded year.</summary>
    public Task<WorkingCalendar> CurrentAsync(CancellationToken ct) => _current.GetAsync(0, ReadAllAsync, ct);

    /// <summary>The calendar as stored now, not as kept (a store without change stamps keeps it up to 2 s): for a recount right after a change.</summary>
    public async Task<WorkingCalendar> ReadAllAsync(CancellationToken ct) =>
        new((await years.QueryAllAsync([FieldFilter.Eq("loaded", "true")], null, ct)).Select(y => y.Days));

    public async Task<CalendarYear> ReadAsync(int year, CancellationToken ct)
    {
        CalendarRules.Year(year);
        return await years.FindAsync(CalendarYear.Id(year), ct) is { Loaded: true } found
            ? found
            : throw new NotFoundException($"{year} 年的节假日安排尚未载入 / The {year} holiday notice is not loaded.");
    }

    /// <summary>
    /// Tells the admins, once per year, that deadlines reach years without a calendar: the first request to
    /// insert the year's document raises the event with it; every later one (any replica) finds it there.
    /// </summary>
    public async Task AnnounceMissingAsync(IReadOnlyList<int> missingYears, DateOnly deadlineFrom, CancellationToken ct)
    {
        foreach (var year in missingYears)
        {
            try
            {
                await years.InsertAsync(CalendarYear.Missing(year, deadlineFrom, time.GetUtcNow()), ct);
            }
            catch (DocumentExistsException)
            {
                // announced before, or loaded meanwhile
            }
        }
    }

    /// <summary>Loads or corrects a year (an admin); the days are validated before anything is read or written.</summary>
    /// <returns>the year as stored, and whether this request changed it.</returns>
    public async Task<(CalendarYear Year, bool Changed)> SetAsync(int year, CalendarInput? input, IfMatch? ifMatch, MarketUser user, CancellationToken ct)
    {
        var (holidays, workingDays, source) = CalendarRules.Validate(year, input);
        var by = user.Name is { Length: > 0 } name ? $"{name} ({user.Subject})" : user.Subject;
        return await SetAsync(year, holidays, workingDays, source, by, ifMatch, ct);
    }

    /// <summary>The shipped years a store does not have loaded yet; a year an admin loaded or corrected is left as it is.</summary>
    /// <returns>whether a year was loaded (the deadlines waiting for a decision are then counted again).</returns>
    public async Task<bool> LoadShippedAsync(CancellationToken ct)
    {
        var loaded = false;
        foreach (var shipped in OfficialCalendars.All)
        {
            if (await years.FindAsync(CalendarYear.Id(shipped.Year), ct) is { Loaded: true }) continue;
            await SetAsync(shipped.Year, [.. shipped.Holidays], [.. shipped.WorkingDays], shipped.Source, CalendarYear.ShippedBy, null, ct);
            loaded = true;
        }
        return loaded;
    }

    private async Task<(CalendarYear, bool)> SetAsync(int year, IReadOnlyCollection<DateOnly> holidays, IReadOnlyCollection<DateOnly> workingDays, string source, string by,
        IfMatch? ifMatch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await years.FindAsync(CalendarYear.Id(year), ct);
            if (existing is null)
            {
                if (ifMatch is not null)
                    throw new PreconditionFailedException($"{year} 年的日历尚不存在，新建时不带 If-Match / The {year} calendar does not exist yet: create it without If-Match.");
                try
                {
                    var created = CalendarYear.Load(year, holidays, workingDays, source, by, time.GetUtcNow());
                    await years.InsertAsync(created, ct);
                    return (created, true);
                }
                catch (DocumentExistsException) when (attempt < 5)
                {
                    continue;   // another request created it: change that one
                }
            }
            var changed = false;
            // a lost race without If-Match is tried again on the year as it is now (loaded afresh)
            var saved = await years.ChangeAsync(
                async t => await years.FindAsync(CalendarYear.Id(year), t) ?? throw new ConflictException($"{year} 年的日历刚被删除，请重试 / The {year} calendar just went away; try again."),
                ifMatch, _ => { }, y => changed = y.Set(holidays, workingDays, source, by, time.GetUtcNow()), ct);
            return (saved, changed);
        }
    }
}
