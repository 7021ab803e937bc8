namespace Marketplace.Registration.Rules;

/// <summary>
/// Working days: Monday to Friday, minus public holidays, plus the weekend days made working days
/// by the State Council's holiday arrangement (调休). Both lists come from configuration, a year at a time.
/// </summary>
internal sealed class WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workingWeekends)
{
    private readonly HashSet<DateOnly> _holidays = [.. holidays];
    private readonly HashSet<DateOnly> _workingWeekends = [.. workingWeekends];

    public static WorkingCalendar WeekdaysOnly { get; } = new([], []);

    public bool IsWorkingDay(DateOnly day) =>
        _workingWeekends.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day));

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="start"/> (the start day itself does not count).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        var day = start;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }
}
