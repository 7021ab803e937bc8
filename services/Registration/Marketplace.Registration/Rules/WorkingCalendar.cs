namespace Marketplace.Registration.Rules;

/// <summary>
/// One year of the State Council's holiday arrangement (国务院办公厅关于部分节假日安排的通知): the days off,
/// and the weekend days made working days (调休).
/// </summary>
internal sealed record CalendarYearDays(int Year, IReadOnlySet<DateOnly> Holidays, IReadOnlySet<DateOnly> WorkingDays);

/// <summary>A deadline counted in working days; <see cref="MissingYears"/> are the years it ran through without a calendar.</summary>
internal sealed record WorkingDeadline(DateOnly Due, IReadOnlyList<int> MissingYears)
{
    /// <summary>Counted on Monday–Friday for at least one year whose notice is not loaded: it may still move.</summary>
    public bool Provisional => MissingYears.Count > 0;
}

/// <summary>
/// Working days on the official calendar: Monday to Friday, minus the year's public holidays, plus the
/// weekend days the notice makes working days. A year whose notice is not loaded counts Monday to Friday,
/// and a deadline that runs through it says so (<see cref="WorkingDeadline.MissingYears"/>).
/// </summary>
internal sealed class WorkingCalendar
{
    private readonly Dictionary<int, CalendarYearDays> _years;

    public WorkingCalendar(IEnumerable<CalendarYearDays> years) => _years = years.ToDictionary(y => y.Year);

    /// <summary>No year loaded: every deadline is counted on weekdays and provisional.</summary>
    public static WorkingCalendar WeekdaysOnly { get; } = new([]);

    public IReadOnlyCollection<int> Years => _years.Keys;

    public bool Covers(int year) => _years.ContainsKey(year);

    public bool IsWorkingDay(DateOnly day)
    {
        var weekday = day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        if (!_years.TryGetValue(day.Year, out var year)) return weekday;
        return year.WorkingDays.Contains(day) || (weekday && !year.Holidays.Contains(day));
    }

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="start"/> (the start day itself does not count).</summary>
    public WorkingDeadline AddWorkingDays(DateOnly start, int days)
    {
        var day = start;
        var missing = new SortedSet<int>();
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (!_years.ContainsKey(day.Year)) missing.Add(day.Year);
            if (IsWorkingDay(day)) counted++;
        }
        return new WorkingDeadline(day, [.. missing]);
    }
}
