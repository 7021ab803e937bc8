using Marketplace.Contracts;
using Marketplace.Contracts.Registration;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;

namespace Marketplace.Registration.Applications;

internal enum ApplicationStatus { Draft, Submitted, ReturnedForCorrection, Registered, Refused, Revoked }

/// <summary>A document as the registration recorded it: what the certificate states, so the file can be checked against it.</summary>
internal sealed record RegisteredDocument(Guid Id, string Kind, string Name, long Size, string Sha256);

internal sealed record ApplicationHistoryEntry(DateTimeOffset At, string By, string Action, ApplicationStatus Status, string? Note);

/// <summary>A tax office's check of a registration: who, when, against which tax case (audit trail).</summary>
internal sealed record TaxCheck(Guid Id, DateTimeOffset At, string By, string Organisation, string CaseReference, string? Note, string StatusSeen);

/// <summary>
/// An application for technology-contract registration (技术合同认定登记), drafted by the seller's side.
/// draft → submitted → (returned_for_correction → submitted) → registered | refused; registered → revoked.
/// </summary>
internal sealed class ContractApplication : AggregateRoot
{
    private List<TaxCheck> _taxChecks = [];
    private List<ApplicationHistoryEntry> _history = [];
    private List<AttachedFile> _documents = [];

    private ContractApplication() { }

    public Guid Id { get; private set; }
    public string OwnerOrg { get; private set; } = "";
    public string? OwnerOrgName { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public ContractFacts Facts { get; private set; } = new();
    public Guid? DealId { get; private set; }
    /// <summary>The registration point (a sub-market code) whose registrars decide.</summary>
    public string RegistrationPoint { get; private set; } = "";
    public ApplicationStatus Status { get; private set; }
    /// <summary>The day the decision clock runs from: the last (re)submission.</summary>
    public DateOnly? ReceivedOn { get; private set; }
    public RuleDecision? Decision { get; private set; }
    public string? RegistrationNumber { get; private set; }
    public DateTimeOffset? RegisteredAt { get; private set; }
    public IReadOnlyList<string> RefusalReasons { get; private set; } = [];
    public string? RegistrarNote { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevocationReason { get; private set; }
    public IReadOnlyList<TaxCheck> TaxChecks { get => _taxChecks; private set => _taxChecks = [.. value]; }
    public bool IsDemo { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public IReadOnlyList<ApplicationHistoryEntry> History { get => _history; private set => _history = [.. value]; }
    /// <summary>The signed contract text and its annexes (<see cref="ContractDocuments"/>), oldest first.</summary>
    public IReadOnlyList<AttachedFile> Documents { get => _documents; private set => _documents = [.. value]; }
    /// <summary>Each document's SHA-256 as registered; the certificate states them.</summary>
    public IReadOnlyList<RegisteredDocument> RegisteredDocuments { get; private set; } = [];
    public string? RequestFingerprint { get; private set; }

    public override string StoreId => Id.ToString();

    /// <summary>A new draft of the caller's organisation; what a demo account drafts is demo data.</summary>
    public static ContractApplication Draft(Guid id, MarketUser by, ContractFacts facts, Guid? dealId, string point, string? fingerprint, DateTimeOffset now)
    {
        var application = new ContractApplication
        {
            Id = id,
            OwnerOrg = by.Organisation,
            OwnerOrgName = by.OrganisationName,
            CreatedBy = by.Subject,
            Facts = facts,
            DealId = dealId,
            RegistrationPoint = point,
            Status = ApplicationStatus.Draft,
            IsDemo = by.IsDemo,
            CreatedAt = now,
            UpdatedAt = now,
            RequestFingerprint = fingerprint,
        };
        application.Record(now, by.Subject, "drafted", null);
        return application;
    }

    /// <summary>The contract's name as the applicant wrote it (the rules require it before submission).</summary>
    public string ContractName => Facts.Title ?? "";

    public bool IsOwnedBy(MarketUser user) => user.Organisation == OwnerOrg;

    /// <summary>A registrar decides only on their own point's queue.</summary>
    public bool IsRegistrar(MarketUser user) => user.Role == Roles.Registrar && user.SubMarket == RegistrationPoint;

    public static NotFoundException NotFound(Guid id) => new($"登记申请 {id} 不存在 / Application {id} does not exist.");

    /// <summary>
    /// A draft is its organisation's own until submitted: to anyone else — the point's registrars
    /// included — it does not exist, with the answer of an id never used (404), as private resources
    /// are answered on the big code hosts, so that its id reveals nothing. Once submitted it is the
    /// registrars' to see, and stays so while the applicant corrects it after a return.
    /// </summary>
    private void EnsureNotAStrangersDraft(MarketUser user)
    {
        if (Status == ApplicationStatus.Draft && !IsOwnedBy(user)) throw NotFound(Id);
    }

    /// <summary>The seller's side acts only on its own organisation's applications.</summary>
    public void EnsureOwnedBy(MarketUser user)
    {
        EnsureNotAStrangersDraft(user);
        if (!IsOwnedBy(user)) throw new ForbiddenException("只能操作本单位的登记申请 / Only the applicant's organisation can do this.");
    }

    /// <remarks>
    /// A decision on a draft is a 409 for the point's registrars (there is nothing to decide until it is
    /// submitted; they cannot list or read it, and its id is known only to whoever was given it), a 404
    /// for everyone else.
    /// </remarks>
    public void EnsureRegistrar(MarketUser user)
    {
        if (Status == ApplicationStatus.Draft && IsRegistrar(user))
            throw new ConflictException("申请尚未提交，还不能作出登记决定 / The application has not been submitted: there is nothing to decide yet.");
        EnsureNotAStrangersDraft(user);
        if (!IsRegistrar(user))
            throw new ForbiddenException($"只能处理本登记点（{user.SubMarket}）的申请 / Registrars act only on their own point's queue.");
    }

    /// <summary>An application is seen by its organisation and, once submitted, the point's registrars.</summary>
    public void EnsureVisibleTo(MarketUser user)
    {
        EnsureNotAStrangersDraft(user);
        if (!IsOwnedBy(user) && !IsRegistrar(user))
            throw new ForbiddenException("仅申请单位和登记点登记员可见 / Only the applicant and the point's registrars see an application.");
    }

    /// <summary>The certificate goes to the applicant, the point's registrars and tax staff.</summary>
    public void EnsureCertificateFor(MarketUser user)
    {
        EnsureNotAStrangersDraft(user);
        if (!IsOwnedBy(user) && !IsRegistrar(user) && user.Role != Roles.Tax)
            throw new ForbiddenException("登记证明仅申请单位、登记点和税务人员可取 / Only the applicant, the point's registrars and tax staff get the certificate.");
    }

    /// <summary>
    /// Who reads the documents: the applicant's organisation; the point's registrars once submitted; after
    /// registration tax staff of the point's region (a tax office of the point's city, or the provincial one).
    /// </summary>
    public void EnsureDocumentsVisibleTo(MarketUser user)
    {
        EnsureNotAStrangersDraft(user);
        if (IsOwnedBy(user) || IsRegistrar(user)) return;
        if (user.Role == Roles.Tax && Status is ApplicationStatus.Registered or ApplicationStatus.Revoked
            && (user.SubMarket == RegistrationPoint || user.SubMarket == ReferenceData.ProvincialMarket)) return;
        throw new ForbiddenException("合同材料仅申请单位、登记点登记员及登记后所在地区的税务人员可见 / Only the applicant, the point's registrars and, once registered, the region's tax staff read the documents.");
    }

    /// <summary>Documents change only while the applicant may edit: a draft, or an application returned for correction.</summary>
    /// <summary>409 unless a document may be added now: the application may be edited and holds fewer than <paramref name="max"/>.</summary>
    public void EnsureCanAttach(int max)
    {
        EnsureDocumentsEditable("上传材料", "take documents");
        AttachedFileRules.EnsureRoom(_documents, max);
    }

    private void EnsureDocumentsEditable(string zh, string en)
    {
        if (Status is not (ApplicationStatus.Draft or ApplicationStatus.ReturnedForCorrection))
            throw new ConflictException($"当前状态（{WireCode.Of(Status)}）不能{zh}：提交后材料不可更改，退回补正时方可修改 / An application in status '{WireCode.Of(Status)}' cannot {en}: documents are fixed once submitted, until returned for correction.");
    }

    /// <summary>Records an uploaded document; 409 when it may not change or holds <paramref name="max"/> documents.</summary>
    public void Attach(AttachedFile file, int max, MarketUser by, DateTimeOffset now)
    {
        EnsureCanAttach(max);
        _documents.Add(file);
        Touch(now, by.Subject, "document_added", file.Name);
    }

    public AttachedFile Detach(Guid fileId, MarketUser by, DateTimeOffset now)
    {
        var file = AttachedFileRules.Find(_documents, fileId);
        EnsureDocumentsEditable("删除材料", "lose documents");
        _documents.Remove(file);
        Touch(now, by.Subject, "document_removed", file.Name);
        return file;
    }

    public bool HasContractText => _documents.Any(d => d.Kind == ContractDocuments.ContractText);

    /// <summary>Tax staff see every registration's checks; a registrar only those of their own point.</summary>
    public void EnsureTaxChecksVisibleTo(MarketUser user)
    {
        if (user.Role == Roles.Registrar) EnsureRegistrar(user);
    }

    /// <summary>Counts the decision deadline again on a calendar that changed; the findings stay as judged at submission.</summary>
    /// <returns>whether the deadline (or whether it is provisional) changed.</returns>
    public bool RecountDeadline(RulesEngine rules, WorkingCalendar calendar)
    {
        if (Status != ApplicationStatus.Submitted || Decision is null || ReceivedOn is not { } received) return false;
        var recounted = rules.Evaluate(Facts, received, calendar);
        if (recounted.DecisionDue == Decision.DecisionDue && recounted.CalendarYearsMissing.SequenceEqual(Decision.CalendarYearsMissing)) return false;
        Decision = Decision with
        {
            DecisionDue = recounted.DecisionDue,
            DecisionDueProvisional = recounted.DecisionDueProvisional,
            CalendarYearsMissing = recounted.CalendarYearsMissing,
            DeadlineRule = recounted.DeadlineRule,
        };
        return true;
    }

    /// <summary>Only a draft is deleted: once submitted, the point's registrars have it and its history stays.</summary>
    public void EnsureDeletable()
    {
        if (Status != ApplicationStatus.Draft)
            throw new ConflictException($"当前状态（{WireCode.Of(Status)}）不能删除，只能删除草稿 / Only a draft can be deleted; this application is '{WireCode.Of(Status)}'.");
    }

    public void Edit(ContractFacts facts, Guid? dealId, MarketUser by, DateTimeOffset now)
    {
        if (Status is not (ApplicationStatus.Draft or ApplicationStatus.ReturnedForCorrection))
            throw new ConflictException(StateMessage("修改", "edited"));
        Facts = facts;
        DealId = dealId;
        Touch(now, by.Subject, "edited", null);
    }

    /// <summary>Submits (or resubmits after a return, which restarts the clock). Incomplete or inconsistent applications are refused with the findings.</summary>
    public void Submit(RulesEngine rules, WorkingCalendar calendar, MarketUser by, DateTimeOffset now)
    {
        if (Status is not (ApplicationStatus.Draft or ApplicationStatus.ReturnedForCorrection))
            throw new ConflictException(StateMessage("提交", "submitted"));
        var received = DateOnly.FromDateTime(now.ToOffset(ChinaTime).DateTime);
        var decision = rules.Evaluate(Facts, received, calendar, HasContractText);
        var errors = decision.Errors.ToList();
        if (errors.Count > 0)
            throw new ValidationFailedException(errors.GroupBy(e => e.Field ?? "application")
                .ToDictionary(g => g.Key, g => g.Select(e => $"{e.Message}（{e.RuleRef}）").ToArray()));
        ReceivedOn = received;
        Decision = decision;
        Status = ApplicationStatus.Submitted;
        Touch(now, by.Subject, History.Any(h => h.Action == "returned") ? "resubmitted" : "submitted", null);
        Raise(new ApplicationSubmitted
        {
            ContractId = Id, ApplicantOrg = OwnerOrg, RegistrationPoint = RegistrationPoint, ContractName = ContractName, SubmittedAt = now,
        });
    }

    public void Register(RulesEngine rules, WorkingCalendar calendar, string number, MarketUser by, string? note, DateTimeOffset now)
    {
        EnsureSubmitted("登记", "registered");
        // the documents were judged at submission and have not changed since (an application submitted before
        // the contract text was required registers as it would have then)
        var decision = rules.Evaluate(Facts, ReceivedOn!.Value, calendar);
        if (!decision.Registrable)
            throw new ConflictException("规则检查发现不予登记的情形，请退回补正或不予登记：" +
                string.Join("；", decision.Findings.Where(f => f.Severity is Severity.Error or Severity.Refusal).Select(f => f.Message)) +
                " / The rules found reasons not to register; return or refuse it.");
        Decision = decision;
        RegistrationNumber = number;
        RegisteredAt = now;
        RegistrarNote = note;
        RegisteredDocuments = _documents.Select(d => new RegisteredDocument(d.Id, d.Kind, d.Name, d.Size, d.Sha256)).ToList();
        Status = ApplicationStatus.Registered;
        Touch(now, by.Subject, "registered", note);
        Raise(new ContractRegistered
        {
            ContractId = Id,
            RegistrationNumber = number,
            DealId = DealId,
            ApplicantOrg = OwnerOrg,
            Type = WireCode.Of(Facts.Type!.Value),
            Subtype = WireCode.Of(Facts.Subtype!.Value),
            Field = Facts.Field,
            RegistrationPoint = RegistrationPoint,
            ContractAmount = Facts.TotalAmount!.Value,
            TechnologyTransactionAmount = decision.TechnologyTransactionAmount!.Value,
            RegisteredAt = now,
        });
    }

    public void Refuse(IReadOnlyList<string> reasons, string? note, MarketUser by, DateTimeOffset now)
    {
        EnsureSubmitted("不予登记", "refused");
        RefusalReasons = reasons;
        RegistrarNote = note;
        Status = ApplicationStatus.Refused;
        Touch(now, by.Subject, "refused", string.Join("；", reasons) + (note is null ? "" : "；" + note));
        Raise(new ContractRefused
        {
            ContractId = Id, ApplicantOrg = OwnerOrg, RegistrationPoint = RegistrationPoint, Reasons = reasons, Note = note, DealId = DealId, RefusedAt = now,
        });
    }

    public void ReturnForCorrection(string note, MarketUser by, DateTimeOffset now)
    {
        EnsureSubmitted("退回补正", "returned");
        RegistrarNote = note;
        Status = ApplicationStatus.ReturnedForCorrection;
        Touch(now, by.Subject, "returned", note);
        Raise(new ApplicationReturned
        {
            ContractId = Id, ApplicantOrg = OwnerOrg, RegistrationPoint = RegistrationPoint, ContractName = ContractName, Note = note, ReturnedAt = now,
        });
    }

    public void Revoke(string reason, MarketUser by, DateTimeOffset now)
    {
        if (Status != ApplicationStatus.Registered) throw new ConflictException(StateMessage("撤销", "revoked"));
        Status = ApplicationStatus.Revoked;
        RevokedAt = now;
        RevocationReason = reason;
        Touch(now, by.Subject, "revoked", reason);
        Raise(new RegistrationRevoked
        {
            ContractId = Id, RegistrationNumber = RegistrationNumber!, DealId = DealId, ApplicantOrg = OwnerOrg, RegistrationPoint = RegistrationPoint, Reason = reason, RevokedAt = now,
        });
    }

    public TaxCheck RecordTaxCheck(MarketUser by, string caseReference, string? note, Guid id, DateTimeOffset now)
    {
        var check = new TaxCheck(id, now, by.Subject, by.Organisation, caseReference, note, WireCode.Of(Status));
        _taxChecks.Add(check);
        UpdatedAt = now;
        return check;
    }

    /// <summary>Overdue: submitted and still undecided after the day the decision was due.</summary>
    public bool IsOverdue(DateTimeOffset now) =>
        Status == ApplicationStatus.Submitted && Decision?.DecisionDue is { } due && DateOnly.FromDateTime(now.ToOffset(ChinaTime).DateTime) > due;

    /// <summary>Days count in China's time zone (UTC+8, no daylight saving).</summary>
    public static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    private void EnsureSubmitted(string zh, string en)
    {
        if (Status != ApplicationStatus.Submitted) throw new ConflictException(StateMessage(zh, en));
    }

    private void Touch(DateTimeOffset now, string by, string action, string? note)
    {
        UpdatedAt = now;
        Record(now, by, action, note);
    }

    private void Record(DateTimeOffset now, string by, string action, string? note) =>
        _history.Add(new ApplicationHistoryEntry(now, by, action, Status, note));

    private string StateMessage(string zh, string en) =>
        $"当前状态（{WireCode.Of(Status)}）不能{zh} / An application in status '{WireCode.Of(Status)}' cannot be {en}.";
}
