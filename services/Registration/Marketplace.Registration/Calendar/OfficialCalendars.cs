using Marketplace.Registration.Rules;

namespace Marketplace.Registration.Calendar;

/// <summary>A year of the State Council's holiday notice as the market ships it.</summary>
internal sealed record ShippedCalendar(int Year, string Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingDays)
{
    public CalendarYearDays Days() => new(Year, Holidays.ToHashSet(), WorkingDays.ToHashSet());
}

/// <summary>
/// The holiday notices shipped as reference data, loaded at start into a store that does not have the year
/// (an admin's correction of a year is never overwritten). A later year is loaded through the API when its
/// notice is published (each November for the next year).
/// </summary>
internal static class OfficialCalendars
{
    /// <summary>
    /// 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, Xinhua; politics.gmw.cn/2025-11/04/content_38391083.htm):
    /// 元旦 1-1..1-3 (Sun 1-4 worked); 春节 2-15..2-23 (Sat 2-14, Sat 2-28 worked); 清明节 4-4..4-6; 劳动节 5-1..5-5
    /// (Sat 5-9 worked); 端午节 6-19..6-21; 中秋节 9-25..9-27; 国庆节 10-1..10-7 (Sun 9-20, Sat 10-10 worked).
    /// </summary>
    public static ShippedCalendar Year2026 { get; } = new(2026,
        "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）politics.gmw.cn/2025-11/04/content_38391083.htm",
        [
            .. Days(2026, 1, 1, 3), .. Days(2026, 2, 15, 23), .. Days(2026, 4, 4, 6), .. Days(2026, 5, 1, 5),
            .. Days(2026, 6, 19, 21), .. Days(2026, 9, 25, 27), .. Days(2026, 10, 1, 7),
        ],
        [new(2026, 1, 4), new(2026, 2, 14), new(2026, 2, 28), new(2026, 5, 9), new(2026, 9, 20), new(2026, 10, 10)]);

    public static IReadOnlyList<ShippedCalendar> All { get; } = [Year2026];

    private static IEnumerable<DateOnly> Days(int year, int month, int first, int last) =>
        Enumerable.Range(first, last - first + 1).Select(d => new DateOnly(year, month, d));
}
