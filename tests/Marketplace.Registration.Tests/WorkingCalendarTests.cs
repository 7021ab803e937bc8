using Marketplace.Registration.Calendar;
using Marketplace.Registration.Rules;

namespace Marketplace.Registration.Tests;

/// <summary>Decision deadlines counted on the State Council's 2026 holiday notice (domain notes §6), and on weekdays where no notice is loaded.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Official = RulesEngineTests.Calendar;

    private static RuleDecision Decide(DateOnly received, WorkingCalendar calendar) =>
        RulesEngineTests.Engine.Evaluate(RulesEngineTests.Contract(ContractType.Development, ContractSubtype.Commissioned, received), received, calendar);

    [Fact]
    public void An_application_received_on_10_February_2026_is_decided_by_9_March_not_3_March()
    {
        // 2-11..2-13 1–3; 2-14 (Sat, worked) 4; 2-15..2-23 春节; 2-24..2-27 5–8; 2-28 (Sat, worked) 9; 3-2..3-6 10–14; 3-9 the 15th
        var decision = Decide(new DateOnly(2026, 2, 10), Official);
        Assert.Equal(new DateOnly(2026, 3, 9), decision.DecisionDue);
        Assert.False(decision.DecisionDueProvisional);
        Assert.Contains("15 个工作日", decision.DeadlineRule);

        // on Monday to Friday alone it would have been 3-03
        Assert.Equal(new DateOnly(2026, 3, 3), WorkingCalendar.WeekdaysOnly.AddWorkingDays(new DateOnly(2026, 2, 10), 15).Due);
    }

    [Fact]
    public void A_deadline_across_spring_festival_counts_both_made_up_saturdays_and_skips_the_nine_days_off()
    {
        var cny = new DateOnly(2026, 2, 13);   // the Friday before 春节
        Assert.Equal(new DateOnly(2026, 2, 14), Official.AddWorkingDays(cny, 1).Due);   // Saturday 2-14 is worked
        Assert.Equal(new DateOnly(2026, 2, 24), Official.AddWorkingDays(cny, 2).Due);   // 2-15..2-23 are off
        Assert.Equal(new DateOnly(2026, 2, 28), Official.AddWorkingDays(cny, 6).Due);   // 2-24..2-27, then Saturday 2-28
        Assert.All(Enumerable.Range(15, 9).Select(d => new DateOnly(2026, 2, d)), d => Assert.False(Official.IsWorkingDay(d)));
        // a 15-day decision from 2-13: 2-14 1; 2-24..2-27 2–5; 2-28 6; 3-2..3-6 7–11; 3-9..3-12 12–15
        Assert.Equal(new DateOnly(2026, 3, 12), Decide(cny, Official).DecisionDue);
    }

    [Fact]
    public void A_deadline_across_national_day_counts_its_made_up_days_and_skips_mid_autumn_and_the_golden_week()
    {
        // from Fri 9-18: 9-20 (Sun, worked) 1; 9-21..9-24 2–5; 9-25..9-27 中秋节; 9-28..9-30 6–8; 10-1..10-7 国庆节;
        // 10-8, 10-9 9–10; 10-10 (Sat, worked) 11; 10-12..10-15 12–15
        var decision = Decide(new DateOnly(2026, 9, 18), Official);
        Assert.Equal(new DateOnly(2026, 10, 15), decision.DecisionDue);
        Assert.False(decision.DecisionDueProvisional);
        Assert.Equal(new DateOnly(2026, 10, 9), WorkingCalendar.WeekdaysOnly.AddWorkingDays(new DateOnly(2026, 9, 18), 15).Due);
        Assert.True(Official.IsWorkingDay(new DateOnly(2026, 9, 20)));
        Assert.True(Official.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(Official.IsWorkingDay(new DateOnly(2026, 10, 11)));   // an ordinary Sunday
    }

    [Fact]
    public void A_deadline_running_into_a_year_without_a_calendar_is_counted_on_weekdays_and_marked_provisional()
    {
        // from Tue 12-15: 12-16..12-18 1–3; 12-21..12-25 4–8; 12-28..12-31 9–12; 2027 unknown: 1-1 (Fri) 13, 1-4 14, 1-5 15
        var decision = Decide(new DateOnly(2026, 12, 15), Official);
        Assert.Equal(new DateOnly(2027, 1, 5), decision.DecisionDue);
        Assert.True(decision.DecisionDueProvisional);
        Assert.Equal([2027], decision.CalendarYearsMissing);
        Assert.Contains("2027 年节假日安排尚未载入", decision.DeadlineRule);

        // one that ends within 2026 is not provisional, and neither are the 2001 rules' calendar days
        Assert.False(Decide(new DateOnly(2026, 11, 2), Official).DecisionDueProvisional);
        Assert.False(Decide(new DateOnly(2025, 12, 15), WorkingCalendar.WeekdaysOnly).DecisionDueProvisional);
    }

    [Fact]
    public void The_shipped_2026_calendar_is_the_notice_of_4_November_2025()
    {
        var shipped = OfficialCalendars.Year2026;
        Assert.Contains("politics.gmw.cn/2025-11/04/content_38391083.htm", shipped.Source);
        Assert.Equal(3 + 9 + 3 + 5 + 3 + 3 + 7, shipped.Holidays.Count);
        Assert.Equal([new(2026, 1, 4), new(2026, 2, 14), new(2026, 2, 28), new(2026, 5, 9), new(2026, 9, 20), new DateOnly(2026, 10, 10)], shipped.WorkingDays);
        Assert.All(shipped.WorkingDays, d => Assert.True(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday));
        Assert.Empty(shipped.Holidays.Intersect(shipped.WorkingDays));
    }
}
