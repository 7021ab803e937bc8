using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Registration.Calendar;

/// <summary>A year's calendar as an admin sends it: the public holidays, the weekend days made working days (调休), and the notice they come from.</summary>
internal sealed record CalendarInput
{
    public List<DateOnly>? Holidays { get; init; }
    public List<DateOnly>? WorkingDays { get; init; }
    /// <summary>The notice: its title, number or address (国务院办公厅关于XXXX年部分节假日安排的通知).</summary>
    public string? Source { get; init; }
}

internal static class CalendarRules
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;
    public const int MaxSourceLength = 300;

    /// <exception cref="ValidationFailedException">the year is outside the years a calendar can be kept for.</exception>
    public static void Year(int year) =>
        new Validator().Check(year is >= FirstYear and <= LastYear, "year", $"年份须在 {FirstYear}–{LastYear} 之间 / The year is {FirstYear} to {LastYear}.").ThrowIfInvalid();

    /// <summary>
    /// Every date in the year, none listed twice, none both a holiday and a working day; a working day made up
    /// is a Saturday or a Sunday (Monday to Friday are working days unless they are holidays).
    /// </summary>
    /// <exception cref="ValidationFailedException">with every problem, by field (<c>holidays[2]</c>).</exception>
    public static (IReadOnlyCollection<DateOnly> Holidays, IReadOnlyCollection<DateOnly> WorkingDays, string Source) Validate(int year, CalendarInput? input)
    {
        Year(year);
        var v = new Validator();
        if (input is null) throw ValidationFailedException.For("body", "请提交日历 / Send the calendar as JSON.");
        v.Check(input.Holidays is not null, "holidays", "缺少节假日列表 / holidays is missing.");
        v.Check(input.WorkingDays is not null, "workingDays", "缺少调休工作日列表（无则为空列表）/ workingDays is missing (an empty list when there are none).");
        var source = UserText.Normalize(input.Source);
        v.Text(source, "source", "通知来源", MaxSourceLength);
        Days(v, year, input.Holidays ?? [], "holidays", "节假日");
        Days(v, year, input.WorkingDays ?? [], "workingDays", "调休工作日");
        var holidays = (input.Holidays ?? []).ToHashSet();
        for (var i = 0; i < (input.WorkingDays ?? []).Count; i++)
        {
            var day = input.WorkingDays![i];
            if (holidays.Contains(day))
                v.Add($"workingDays[{i}]", $"{day:yyyy-MM-dd} 同时列为节假日和调休工作日 / {day:yyyy-MM-dd} is both a holiday and a working day.");
            else if (day.Year == year && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                v.Add($"workingDays[{i}]", $"{day:yyyy-MM-dd} 是周一至周五，本来就是工作日；调休工作日应为周六或周日 / {day:yyyy-MM-dd} is a weekday, a working day already: a day made up is a Saturday or Sunday.");
        }
        v.ThrowIfInvalid();
        return (holidays, input.WorkingDays!.ToHashSet(), source!);
    }

    private static void Days(Validator v, int year, List<DateOnly> days, string field, string label)
    {
        v.Check(days.Count <= 366, field, $"{label}不能超过 366 天 / At most 366 days.");
        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < days.Count; i++)
        {
            if (days[i].Year != year)
                v.Add($"{field}[{i}]", $"{days[i]:yyyy-MM-dd} 不在 {year} 年内 / {days[i]:yyyy-MM-dd} is not in {year}.");
            else if (!seen.Add(days[i]))
                v.Add($"{field}[{i}]", $"{days[i]:yyyy-MM-dd} 重复列出 / {days[i]:yyyy-MM-dd} is listed twice.");
        }
    }
}
