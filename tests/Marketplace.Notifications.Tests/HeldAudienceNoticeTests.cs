using Marketplace.Contracts;
using Marketplace.Contracts.Registration;
using MassTransit;

namespace Marketplace.Notifications.Tests;

/// <summary>
/// Notices for a role (the admins) and for a registration point's registrars wait for their users as an
/// organisation's do (<see cref="HeldNoticeTests"/>). Before, a year's missing holiday notice announced before the
/// directory knew any admin was dropped, and the registration service announces it once per year: the admins were
/// never told (seen in a CI run, WorkingCalendarNoticeTests).
/// </summary>
public sealed class HeldAudienceNoticeTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    [Fact]
    public async Task Notices_for_the_admins_and_for_a_points_registrars_wait_until_the_directory_knows_one_of_them()
    {
        // this host's directory knows no admin and no registrar yet
        var calendar = NewId.NextGuid();
        var missing = new WorkingCalendarMissing { Year = 2031, DeadlineFrom = new DateOnly(2030, 12, 1), DetectedAt = DateTimeOffset.UtcNow };
        await api.Redeliver(missing, calendar);
        var applicant = NotificationsApi.Org("applicant");
        var submitted = new ApplicationSubmitted
        {
            ContractId = Guid.NewGuid(), ApplicantOrg = applicant, RegistrationPoint = "xiangtan", ContractName = "高镍三元正极材料技术转让合同",
            SubmittedAt = DateTimeOffset.UtcNow,
        };
        var application = NewId.NextGuid();
        await api.Redeliver(submitted, application);
        await api.Redeliver(missing, calendar); // a redelivery in between holds nothing twice

        var admin = await api.Account(NotificationsApi.Org("platform"), Roles.Admin);
        var told = Assert.Single(await api.Inbox(admin, "working_calendar_missing"));
        Assert.Contains("2031", (string)told["title"]!);

        // a registrar of another point is not the audience; one of the point's sub-market is
        var elsewhere = await api.Account(NotificationsApi.Org("zhuzhou-point"), Roles.Registrar, subMarket: "zhuzhou");
        Assert.Empty(await api.Inbox(elsewhere));
        var registrar = await api.Account(NotificationsApi.Org("xiangtan-point"), Roles.Registrar, subMarket: "xiangtan");
        Assert.Single(await api.Inbox(registrar, "application_submitted"));

        // given once: redeliveries and users who come later make nothing more
        await api.Redeliver(missing, calendar);
        await api.Redeliver(submitted, application);
        var laterAdmin = await api.Account(NotificationsApi.Org("platform"), Roles.Admin);
        Assert.Empty(await api.Inbox(laterAdmin));
        Assert.Single(await api.Inbox(admin, "working_calendar_missing"));
        Assert.Single(await api.Inbox(registrar, "application_submitted"));
    }
}
