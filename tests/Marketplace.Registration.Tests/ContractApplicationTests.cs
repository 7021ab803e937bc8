using Marketplace.Contracts;
using Marketplace.Contracts.Registration;
using Marketplace.Registration.Applications;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Registration.Tests;

/// <summary>The application's life, step by step, without a host or a store: what each state allows and what it refuses.</summary>
public sealed class ContractApplicationTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);   // 10:00 in Changsha
    private static readonly RulesEngine Rules = new([new Rules2001(), new Rules2026(new Rules2026Options())]);
    private static readonly WorkingCalendar Calendar = RulesEngineTests.Calendar;

    private static readonly MarketUser Seller = new("seller@hnu", Roles.University, "hnu", "湖南示范大学", "changsha", "张老师");
    private static readonly MarketUser Registrar = new("registrar@changsha", Roles.Registrar, "registry-changsha", null, "changsha", "李登记员");
    private static readonly MarketUser OtherPointsRegistrar = new("registrar@zhuzhou", Roles.Registrar, "registry-zhuzhou", null, "zhuzhou", null);
    private static readonly MarketUser OtherUniversity = new("seller@csu", Roles.University, "csu", null, "changsha", null);
    private static readonly MarketUser TaxOfficer = new("tax@changsha", Roles.Tax, "tax-changsha", null, "changsha", null);

    private static readonly Guid DealId = Guid.NewGuid();

    private static ContractFacts Complete => new()
    {
        Title = "牵引电机故障诊断算法技术开发合同",
        Type = ContractType.Development,
        Subtype = ContractSubtype.Commissioned,
        Field = "transport",
        Seller = new("湖南示范大学", CreditCode.WithCheck("12430100MA4L00001"), "430104"),
        Buyer = new("株洲示范轨道装备有限公司", CreditCode.WithCheck("91430200MA4L00002"), "430211"),
        SignedOn = new DateOnly(2026, 2, 20),
        ValidFrom = new DateOnly(2026, 2, 20),
        ValidTo = new DateOnly(2027, 12, 31),
        TotalAmount = 1_200_000m,
        NonTechnicalCosts = [new CostItem("购置振动传感器", 200_000m, false)],
    };

    /// <summary>A draft with its signed contract text attached (submitting needs it), unless told otherwise.</summary>
    private static ContractApplication Drafted(ContractFacts? facts = null, bool withContractText = true)
    {
        var application = ContractApplication.Draft(Guid.NewGuid(), Seller, facts ?? Complete, DealId, "changsha", null, Monday);
        if (withContractText) application.Attach(Document(ContractDocuments.ContractText), 20, Seller, Monday);
        return application;
    }

    private static AttachedFile Document(string kind, string sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") =>
        new(Guid.NewGuid(), kind, kind + ".pdf", "application/pdf", 4321, sha256, Seller.Subject, "张老师", Monday);

    private static ContractApplication Submitted()
    {
        var application = Drafted();
        application.Submit(Rules, Calendar, Seller, Monday);
        return application;
    }

    private static ContractApplication Registered()
    {
        var application = Submitted();
        application.Register(Rules, Calendar, "2026430101000001", Registrar, "材料齐全", Monday.AddDays(3));
        return application;
    }

    private static void Refused(Action act) => Assert.Throws<ConflictException>(act);

    [Fact]
    public void Without_its_signed_contract_text_a_draft_is_not_submitted_and_the_finding_names_its_rule()
    {
        var application = Drafted(withContractText: false);
        application.Attach(Document(ContractDocuments.Annex), 20, Seller, Monday);

        var refused = Assert.Throws<ValidationFailedException>(() => application.Submit(Rules, Calendar, Seller, Monday));

        var finding = Assert.Single(refused.Errors["documents"]);
        Assert.Contains("合同文本", finding, StringComparison.Ordinal);
        Assert.Contains("（管理办法（2026）第三章", finding, StringComparison.Ordinal);
        Assert.Equal(ApplicationStatus.Draft, application.Status);
        application.Attach(Document(ContractDocuments.ContractText), 20, Seller, Monday);
        application.Submit(Rules, Calendar, Seller, Monday);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public void Documents_are_fixed_from_submission_until_a_return_for_correction()
    {
        var application = Submitted();
        var text = application.Documents[0];
        Refused(() => application.Attach(Document(ContractDocuments.Annex), 20, Seller, Monday));
        Refused(() => application.Detach(text.Id, Seller, Monday));

        application.ReturnForCorrection("请补充附件", Registrar, Monday.AddDays(1));
        application.Attach(Document(ContractDocuments.Annex), 20, Seller, Monday.AddDays(2));
        Assert.Equal(2, application.Documents.Count);
        Assert.Throws<NotFoundException>(() => application.Detach(Guid.NewGuid(), Seller, Monday.AddDays(2)));

        application.Submit(Rules, Calendar, Seller, Monday.AddDays(2));
        application.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday.AddDays(3));
        Refused(() => application.Detach(text.Id, Seller, Monday.AddDays(4)));
        Assert.Equal(2, application.Documents.Count);
    }

    [Fact]
    public void An_application_holds_at_most_the_configured_number_of_documents()
    {
        var application = Drafted();
        application.Attach(Document(ContractDocuments.Annex), 2, Seller, Monday);
        Refused(() => application.Attach(Document(ContractDocuments.Annex), 2, Seller, Monday));
        Assert.Equal(2, application.Documents.Count);
    }

    [Fact]
    public void Registering_records_each_documents_SHA256()
    {
        var application = Drafted();
        application.Attach(Document(ContractDocuments.Annex, sha256: new string('e', 64)), 20, Seller, Monday);
        application.Submit(Rules, Calendar, Seller, Monday);
        Assert.Empty(application.RegisteredDocuments);

        application.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday.AddDays(3));

        Assert.Equal(application.Documents.Select(d => (d.Id, d.Kind, d.Name, d.Size, d.Sha256)),
            application.RegisteredDocuments.Select(d => (d.Id, d.Kind, d.Name, d.Size, d.Sha256)));
    }

    [Fact]
    public void Documents_are_read_by_the_applicant_the_points_registrars_once_submitted_and_the_regions_tax_staff_once_registered()
    {
        var draft = Drafted();
        draft.EnsureDocumentsVisibleTo(Seller);
        Assert.Throws<NotFoundException>(() => draft.EnsureDocumentsVisibleTo(Registrar));
        Assert.Throws<NotFoundException>(() => draft.EnsureDocumentsVisibleTo(TaxOfficer));

        var submitted = Submitted();
        submitted.EnsureDocumentsVisibleTo(Registrar);
        Assert.Throws<ForbiddenException>(() => submitted.EnsureDocumentsVisibleTo(OtherPointsRegistrar));
        Assert.Throws<ForbiddenException>(() => submitted.EnsureDocumentsVisibleTo(TaxOfficer));
        Assert.Throws<ForbiddenException>(() => submitted.EnsureDocumentsVisibleTo(OtherUniversity));

        var registered = Registered();
        registered.EnsureDocumentsVisibleTo(TaxOfficer);
        registered.EnsureDocumentsVisibleTo(TaxOfficer with { SubMarket = "hq" });
        Assert.Throws<ForbiddenException>(() => registered.EnsureDocumentsVisibleTo(TaxOfficer with { SubMarket = "xiangtan" }));
    }

    [Fact]
    public void A_seller_drafts_an_application_of_their_organisation_for_their_point()
    {
        var draft = Drafted();
        Assert.Equal(ApplicationStatus.Draft, draft.Status);
        Assert.Equal("hnu", draft.OwnerOrg);
        Assert.Equal("changsha", draft.RegistrationPoint);
        Assert.Null(draft.ReceivedOn);
        Assert.Equal(["drafted", "document_added"], draft.History.Select(h => h.Action));
        Assert.Empty(draft.PendingEvents);
    }

    [Fact]
    public void A_demo_account_drafts_demo_data()
    {
        var draft = ContractApplication.Draft(Guid.NewGuid(), Seller with { IsDemo = true }, Complete, null, "changsha", null, Monday);
        Assert.True(draft.IsDemo);
        Assert.False(Drafted().IsDemo);
    }

    [Fact]
    public void A_complete_draft_is_submitted_and_its_clock_starts_on_the_day_received_in_China()
    {
        var application = Drafted();
        application.Submit(Rules, Calendar, Seller, new DateTimeOffset(2026, 3, 1, 17, 0, 0, TimeSpan.Zero));   // Monday 01:00 in Changsha
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
        Assert.Equal(new DateOnly(2026, 3, 2), application.ReceivedOn);
        Assert.Equal(new DateOnly(2026, 3, 23), application.Decision!.DecisionDue);
        Assert.Equal(1_000_000m, application.Decision.TechnologyTransactionAmount);
        Assert.Equal("submitted", application.History[^1].Action);
    }

    [Fact]
    public void An_incomplete_draft_cannot_be_submitted_and_stays_a_draft_with_every_missing_field_named()
    {
        var application = Drafted(new ContractFacts { Title = "未完成的草稿", Type = ContractType.Transfer, Subtype = ContractSubtype.PatentTransfer });
        var refused = Assert.Throws<ValidationFailedException>(() => application.Submit(Rules, Calendar, Seller, Monday));
        Assert.Contains("seller.name", refused.Errors.Keys);
        Assert.Contains("ipItems", refused.Errors.Keys);
        Assert.Equal(ApplicationStatus.Draft, application.Status);
        Assert.Null(application.Decision);
    }

    [Fact]
    public void A_draft_can_be_edited_but_not_registered_refused_returned_or_revoked()
    {
        var draft = Drafted();
        draft.Edit(Complete with { TotalAmount = 1_300_000m }, null, Seller, Monday);
        Assert.Equal(1_300_000m, draft.Facts.TotalAmount);
        Assert.Null(draft.DealId);

        Refused(() => draft.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday));
        Refused(() => draft.Refuse(["proofs_missing: 证明材料缺失或不符合要求"], null, Registrar, Monday));
        Refused(() => draft.ReturnForCorrection("请补充附件", Registrar, Monday));
        Refused(() => draft.Revoke("伪造合同", Registrar, Monday));
        Assert.Equal(ApplicationStatus.Draft, draft.Status);
    }

    [Fact]
    public void A_submitted_application_cannot_be_edited_submitted_again_or_revoked()
    {
        var submitted = Submitted();
        Refused(() => submitted.Edit(Complete, null, Seller, Monday));
        Refused(() => submitted.Submit(Rules, Calendar, Seller, Monday));
        Refused(() => submitted.Revoke("伪造合同", Registrar, Monday));
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);
    }

    [Fact]
    public void A_registrar_registers_a_submitted_application_and_the_registration_is_announced_with_its_deal()
    {
        var application = Registered();
        Assert.Equal(ApplicationStatus.Registered, application.Status);
        Assert.Equal("2026430101000001", application.RegistrationNumber);
        Assert.Equal("材料齐全", application.RegistrarNote);
        var announced = Assert.Single(application.PendingEvents.OfType<ContractRegistered>());
        Assert.Equal(DealId, announced.DealId);
        Assert.Equal(1_200_000m, announced.ContractAmount);
        Assert.Equal(1_000_000m, announced.TechnologyTransactionAmount);
        Assert.Equal("development", announced.Type);
        Assert.Equal("changsha", announced.RegistrationPoint);
    }

    [Fact]
    public void An_application_with_a_reason_not_to_register_reaches_the_registrar_but_cannot_be_registered()
    {
        var application = Drafted(Complete with { Buyer = Complete.Seller });   // seller and buyer the same entity
        application.Submit(Rules, Calendar, Seller, Monday);
        Assert.Contains(application.Decision!.RefusalReasons, f => f.Code == "same_party");
        Refused(() => application.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday));
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
        Assert.Null(application.RegistrationNumber);
        Assert.Empty(application.PendingEvents.OfType<ContractRegistered>());
        Assert.Single(application.PendingEvents.OfType<ApplicationSubmitted>()); // it reached the registrar
    }

    [Fact]
    public void A_returned_application_is_corrected_and_resubmitted_with_a_new_clock_and_then_registered()
    {
        var application = Submitted();
        application.ReturnForCorrection("请补充技术指标附件", Registrar, Monday.AddDays(1));
        Assert.Equal(ApplicationStatus.ReturnedForCorrection, application.Status);
        Assert.Equal("请补充技术指标附件", application.RegistrarNote);
        Refused(() => application.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday.AddDays(1)));

        application.Edit(Complete with { TotalAmount = 1_300_000m }, DealId, Seller, Monday.AddDays(7));
        application.Submit(Rules, Calendar, Seller, Monday.AddDays(7));
        Assert.Equal(new DateOnly(2026, 3, 9), application.ReceivedOn);
        Assert.Equal(new DateOnly(2026, 3, 30), application.Decision!.DecisionDue);

        application.Register(Rules, Calendar, "2026430101000002", Registrar, null, Monday.AddDays(8));
        Assert.Equal(["drafted", "document_added", "submitted", "returned", "edited", "resubmitted", "registered"], application.History.Select(h => h.Action));
        Assert.Equal(1_100_000m, Assert.Single(application.PendingEvents.OfType<ContractRegistered>()).TechnologyTransactionAmount);
        Assert.Equal([typeof(ApplicationSubmitted), typeof(ApplicationReturned), typeof(ApplicationSubmitted), typeof(ContractRegistered)],
            application.PendingEvents.Select(e => e.GetType()));
        var returned = Assert.Single(application.PendingEvents.OfType<ApplicationReturned>());
        Assert.Equal((application.OwnerOrg, "请补充技术指标附件", application.Facts.Title), (returned.ApplicantOrg, returned.Note, returned.ContractName));
        Assert.Equal(Monday.AddDays(7), application.PendingEvents.OfType<ApplicationSubmitted>().Last().SubmittedAt);
    }

    [Fact]
    public void A_refusal_gives_its_reasons_is_announced_and_is_final()
    {
        var application = Submitted();
        application.Refuse(["seals_mismatch: 印章不全或与书面名称不符"], "请核对后重新申请", Registrar, Monday.AddDays(2));
        Assert.Equal(ApplicationStatus.Refused, application.Status);
        var announced = Assert.Single(application.PendingEvents.OfType<ContractRefused>());
        Assert.Equal(["seals_mismatch: 印章不全或与书面名称不符"], announced.Reasons);
        Assert.Equal(application.OwnerOrg, announced.ApplicantOrg);
        Assert.Equal(DealId, announced.DealId);

        Refused(() => application.Edit(Complete, null, Seller, Monday.AddDays(3)));
        Refused(() => application.Submit(Rules, Calendar, Seller, Monday.AddDays(3)));
        Refused(() => application.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday.AddDays(3)));
        Refused(() => application.ReturnForCorrection("补正", Registrar, Monday.AddDays(3)));
        Refused(() => application.Revoke("撤销", Registrar, Monday.AddDays(3)));
        Assert.Equal(ApplicationStatus.Refused, application.Status);
    }

    [Fact]
    public void A_registration_is_decided_and_cannot_be_edited_resubmitted_refused_returned_or_registered_again()
    {
        var application = Registered();
        Refused(() => application.Edit(Complete, null, Seller, Monday.AddDays(4)));
        Refused(() => application.Submit(Rules, Calendar, Seller, Monday.AddDays(4)));
        Refused(() => application.Refuse(["proofs_missing: 证明材料缺失或不符合要求"], null, Registrar, Monday.AddDays(4)));
        Refused(() => application.ReturnForCorrection("补正", Registrar, Monday.AddDays(4)));
        Refused(() => application.Register(Rules, Calendar, "2026430101000009", Registrar, null, Monday.AddDays(4)));
        Assert.Equal("2026430101000001", application.RegistrationNumber);
    }

    [Fact]
    public void A_registration_is_revoked_once_and_the_revocation_is_announced()
    {
        var application = Registered();
        application.Revoke("合同被依法确认无效", Registrar, Monday.AddDays(10));
        Assert.Equal(ApplicationStatus.Revoked, application.Status);
        Assert.Equal(Monday.AddDays(10), application.RevokedAt);
        var revoked = Assert.IsType<RegistrationRevoked>(application.PendingEvents[^1]);
        Assert.Equal("2026430101000001", revoked.RegistrationNumber);
        Assert.Equal("合同被依法确认无效", revoked.Reason);
        Assert.Equal("hnu", revoked.ApplicantOrg);

        Refused(() => application.Revoke("再次撤销", Registrar, Monday.AddDays(11)));
        Refused(() => application.Register(Rules, Calendar, "2026430101000001", Registrar, null, Monday.AddDays(11)));
    }

    [Fact]
    public void A_tax_check_records_who_checked_against_which_case_and_the_status_they_saw()
    {
        var application = Registered();
        var check = application.RecordTaxCheck(TaxOfficer, "长税稽〔2026〕12号", null, Guid.NewGuid(), Monday.AddDays(5));
        Assert.Equal("registered", check.StatusSeen);
        application.Revoke("合同被依法确认无效", Registrar, Monday.AddDays(6));
        Assert.Equal("revoked", application.RecordTaxCheck(TaxOfficer, "长税稽〔2026〕13号", null, Guid.NewGuid(), Monday.AddDays(7)).StatusSeen);
        Assert.Equal(["tax@changsha", "tax@changsha"], application.TaxChecks.Select(c => c.By));
    }

    [Fact]
    public void A_registrar_acts_only_on_their_own_points_queue()
    {
        var application = Submitted();
        application.EnsureRegistrar(Registrar);
        Assert.Throws<ForbiddenException>(() => application.EnsureRegistrar(OtherPointsRegistrar));
        Assert.Throws<ForbiddenException>(() => application.EnsureRegistrar(Seller));
        Assert.Throws<ForbiddenException>(() => application.EnsureRegistrar(TaxOfficer));
    }

    [Fact]
    public void Only_the_applicants_organisation_acts_on_an_application_and_only_it_and_the_points_registrars_see_it()
    {
        var application = Submitted();
        application.EnsureOwnedBy(Seller with { Subject = "colleague@hnu" });
        Assert.Throws<ForbiddenException>(() => application.EnsureOwnedBy(OtherUniversity));
        Assert.Throws<ForbiddenException>(() => application.EnsureOwnedBy(Registrar));

        application.EnsureVisibleTo(Seller);
        application.EnsureVisibleTo(Registrar);
        Assert.Throws<ForbiddenException>(() => application.EnsureVisibleTo(OtherPointsRegistrar));
        Assert.Throws<ForbiddenException>(() => application.EnsureVisibleTo(OtherUniversity));
        Assert.Throws<ForbiddenException>(() => application.EnsureVisibleTo(TaxOfficer));
    }

    [Fact]
    public void The_certificate_goes_to_the_applicant_the_points_registrars_and_tax_staff_only()
    {
        var application = Registered();
        application.EnsureCertificateFor(Seller);
        application.EnsureCertificateFor(Registrar);
        application.EnsureCertificateFor(TaxOfficer with { SubMarket = "zhuzhou" });
        Assert.Throws<ForbiddenException>(() => application.EnsureCertificateFor(OtherUniversity));
        Assert.Throws<ForbiddenException>(() => application.EnsureCertificateFor(OtherPointsRegistrar));
    }
}
