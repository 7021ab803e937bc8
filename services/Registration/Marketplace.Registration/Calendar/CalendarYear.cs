using System.Globalization;
using Marketplace.Contracts.Registration;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Registration.Calendar;

/// <summary>One change of a year's calendar (audit trail): who, when, from which notice, and which days moved.</summary>
internal sealed record CalendarChange(
    DateTimeOffset At, string By, string Action, string? Source,
    IReadOnlyList<DateOnly> HolidaysAdded, IReadOnlyList<DateOnly> HolidaysRemoved,
    IReadOnlyList<DateOnly> WorkingDaysAdded, IReadOnlyList<DateOnly> WorkingDaysRemoved);

/// <summary>
/// The official working-day calendar of one year (id: the year). <see cref="Loaded"/> is false for a year
/// only known to be missing: its document exists so that the admins are told once (the insert that raises
/// <see cref="WorkingCalendarMissing"/> succeeds for one request of one replica only).
/// </summary>
internal sealed class CalendarYear : AggregateRoot
{
    public const string ShippedBy = "reference-data";

    private List<DateOnly> _holidays = [];
    private List<DateOnly> _workingDays = [];
    private List<CalendarChange> _history = [];

    private CalendarYear() { }

    public int Year { get; private set; }
    public bool Loaded { get; private set; }
    /// <summary>The notice the days come from (its title, number or address).</summary>
    public string? Source { get; private set; }
    public IReadOnlyList<DateOnly> Holidays { get => _holidays; private set => _holidays = [.. value]; }
    /// <summary>Weekend days made working days (调休).</summary>
    public IReadOnlyList<DateOnly> WorkingDays { get => _workingDays; private set => _workingDays = [.. value]; }
    public DateTimeOffset? MissingAnnouncedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public IReadOnlyList<CalendarChange> History { get => _history; private set => _history = [.. value]; }

    public override string StoreId => Id(Year);

    public static string Id(int year) => year.ToString(CultureInfo.InvariantCulture);

    public CalendarYearDays Days => new(Year, _holidays.ToHashSet(), _workingDays.ToHashSet());

    /// <summary>A year first met by a deadline, with no notice loaded: the admins are told to load it.</summary>
    public static CalendarYear Missing(int year, DateOnly deadlineFrom, DateTimeOffset now)
    {
        var missing = new CalendarYear { Year = year, MissingAnnouncedAt = now, UpdatedAt = now };
        missing._history.Add(new CalendarChange(now, "system", "missing_announced", null, [], [], [], []));
        missing.Raise(new WorkingCalendarMissing { Year = year, DeadlineFrom = deadlineFrom, DetectedAt = now });
        return missing;
    }

    /// <summary>A year loaded for the first time (by an admin, or from the shipped reference data).</summary>
    public static CalendarYear Load(int year, IReadOnlyCollection<DateOnly> holidays, IReadOnlyCollection<DateOnly> workingDays, string source, string by, DateTimeOffset now)
    {
        var loaded = new CalendarYear { Year = year, UpdatedAt = now };
        loaded.Set(holidays, workingDays, source, by, now);
        return loaded;
    }

    /// <summary>Loads or corrects the year's days; the change is recorded with what moved. Nothing moved and the same source: no change.</summary>
    /// <returns>whether anything changed.</returns>
    public bool Set(IReadOnlyCollection<DateOnly> holidays, IReadOnlyCollection<DateOnly> workingDays, string source, string by, DateTimeOffset now)
    {
        var newHolidays = holidays.Order().ToList();
        var newWorking = workingDays.Order().ToList();
        var change = new CalendarChange(now, by, Loaded ? "corrected" : "loaded", source,
            newHolidays.Except(_holidays).ToList(), _holidays.Except(newHolidays).ToList(),
            newWorking.Except(_workingDays).ToList(), _workingDays.Except(newWorking).ToList());
        if (Loaded && source == Source && change.HolidaysAdded.Count + change.HolidaysRemoved.Count + change.WorkingDaysAdded.Count + change.WorkingDaysRemoved.Count == 0)
            return false;
        _holidays = newHolidays;
        _workingDays = newWorking;
        Source = source;
        Loaded = true;
        UpdatedAt = now;
        _history.Add(change);
        return true;
    }
}
