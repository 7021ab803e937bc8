using Marketplace.Contracts;
using Marketplace.Registration.Calendar;
using Marketplace.Registration.Deals;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using MassTransit;

namespace Marketplace.Registration.Applications;

/// <summary>
/// The registration workflow: the seller's side drafts, edits and submits; the point's registrars
/// register, refuse, return or revoke; tax staff record their checks. Who may act is checked
/// before the expected version (a stranger learns nothing from a 412), the request's own rules
/// inside the change, and the state by the application itself.
/// </summary>
internal sealed class RegistrationService(AggregateStore<ContractApplication> applications, RulesEngine rules, WorkingCalendars calendars, RegistrationNumbers numbers,
    DealParties dealParties, TimeProvider time)
{
    public AggregateStore<ContractApplication> Applications => applications;
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Today in China, the day an application submitted now is received.</summary>
    private DateOnly Today => DateOnly.FromDateTime(Now.ToOffset(ContractApplication.ChinaTime).DateTime);

    /// <summary>The rules engine's full answer for an application as if it were received today; nothing is saved.</summary>
    public async Task<RuleDecision> PrecheckAsync(ApplicationInput input, CancellationToken ct)
    {
        var facts = ApplicationRules.Validate(input);
        var decision = rules.Evaluate(facts, Today, await calendars.CurrentAsync(ct));
        await AnnounceMissingCalendarAsync(decision, Today, ct);
        return decision;
    }

    /// <summary>A deadline counted without its year's calendar: the admins are told (once per year) to load the notice.</summary>
    private Task AnnounceMissingCalendarAsync(RuleDecision? decision, DateOnly receivedOn, CancellationToken ct) =>
        decision is { CalendarYearsMissing.Count: > 0 } ? calendars.AnnounceMissingAsync(decision.CalendarYearsMissing, receivedOn, ct) : Task.CompletedTask;

    /// <summary>
    /// After a year's calendar is loaded or corrected, every application waiting for a decision has its
    /// deadline counted again on it (only the deadline: the findings stand as they were at submission).
    /// </summary>
    /// <returns>how many deadlines changed.</returns>
    public async Task<int> RecountDeadlinesAsync(CancellationToken ct)
    {
        // as stored now: the kept calendar may be up to 2 s behind the change that asks for the recount
        var calendar = await calendars.ReadAllAsync(ct);
        var waiting = await applications.QueryAllAsync([FieldFilter.Eq("status", WireCode.Of(ApplicationStatus.Submitted))], "registeredAt", ct);
        var recounted = 0;
        // only the applications whose deadline moves are written (a write changes the version their users hold)
        foreach (var application in waiting.Where(a => a.RecountDeadline(rules, calendar)))
        {
            await ChangeAsync(application.Id, null, _ => { }, a => a.RecountDeadline(rules, calendar), ct);
            recounted++;
        }
        return recounted;
    }

    /// <summary>A new draft, not yet saved (the endpoint inserts it, honouring an Idempotency-Key).</summary>
    /// <exception cref="DealNotLinkableException">it names a deal its organisation is not known to be a party to.</exception>
    public async Task<ContractApplication> DraftAsync(ApplicationInput input, MarketUser user, Guid id, string fingerprint, CancellationToken ct)
    {
        var facts = ApplicationRules.Validate(input);
        var point = ApplicationRules.RegistrationPoint(input, user);
        await dealParties.EnsurePartyAsync(input.DealId, user, ct);
        return ContractApplication.Draft(id, user, facts, input.DealId, point, fingerprint, Now);
    }

    public async Task<ContractApplication> LoadAsync(Guid id, CancellationToken ct) =>
        await applications.FindAsync(id.ToString(), ct) ?? throw ContractApplication.NotFound(id);

    public async Task<ContractApplication> ReadAsync(Guid id, MarketUser user, CancellationToken ct)
    {
        var application = await LoadAsync(id, ct);
        application.EnsureVisibleTo(user);
        return application;
    }

    /// <summary>A registrar's queue (their point, submitted unless another status is asked for, oldest deadline first), or the caller's organisation's applications (latest change first).</summary>
    public async Task<Paged<ContractApplication>> ListAsync(MarketUser user, bool? mine, bool? queue, string? status, Paging paging, CancellationToken ct)
    {
        var statusCode = WireCode.Parse<ApplicationStatus>(status, "status");
        if (user.Role == Roles.Registrar)
        {
            if (mine == true) throw ValidationFailedException.For("mine", "登记员请用 queue=true 查看本登记点的申请 / Registrars use queue=true.");
            if (statusCode == ApplicationStatus.Draft)
                throw ValidationFailedException.For("status", "草稿在提交前仅申请单位可见，不在审核队列中 / Drafts are the applicant's own until submitted; the queue does not list them.");
            var (items, total) = await applications.QueryAsync(new DocumentQuery
            {
                Filters = [FieldFilter.Eq("registrationPoint", user.SubMarket ?? ""), FieldFilter.Eq("status", WireCode.Of(statusCode ?? ApplicationStatus.Submitted))],
                SortBy = "decisionDue", Skip = paging.Skip, Take = paging.PageSize,
            }, ct);
            return new Paged<ContractApplication>(items, total, paging.Page, paging.PageSize);
        }
        if (queue == true) throw new ForbiddenException("审核队列仅登记员可见 / The queue is for registrars.");
        var filters = new List<FieldFilter> { FieldFilter.Eq("ownerOrg", user.Organisation) };
        if (statusCode is { } s) filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        return await paging.QueryAsync(applications, filters, "updatedAt", a => a, ct);
    }

    /// <exception cref="DealNotLinkableException">it names a deal its organisation is not known to be a party to.</exception>
    public Task<ContractApplication> EditAsync(Guid id, IfMatch ifMatch, ApplicationInput input, MarketUser user, CancellationToken ct) =>
        applications.ChangeAsync(t => LoadAsync(id, t), ifMatch, a => a.EnsureOwnedBy(user), async a =>
        {
            ApplicationRules.SamePoint(input, a);
            var facts = ApplicationRules.Validate(input);
            await dealParties.EnsurePartyAsync(input.DealId, user, ct);
            a.Edit(facts, input.DealId, user, Now);
        }, ct);

    /// <summary>
    /// The applicant's organisation deletes a draft it no longer wants, and the draft's documents with it.
    /// Checked in the order of a change: who (a stranger's draft is a 404), the version, then the state (409).
    /// </summary>
    public async Task DeleteDraftAsync(Guid id, IfMatch? ifMatch, MarketUser user, IFileStore files, CancellationToken ct)
    {
        var draft = await LoadAsync(id, ct);
        draft.EnsureOwnedBy(user);
        if (ifMatch is not null && !ifMatch.Matches(draft.Version))
            throw new PreconditionFailedException($"申请已被修改（当前版本 {draft.Version}），请刷新后重试 / It is at version {draft.Version}, not {ifMatch}.");
        draft.EnsureDeletable();
        await applications.Store.DeleteAsync(applications.Collection, draft.StoreId, ct);
        // the draft is gone: its documents go too, whatever the caller does now
        foreach (var document in draft.Documents)
            await files.DeleteAsync(ContractDocuments.Bucket, document.Id, CancellationToken.None);
    }

    public async Task<ContractApplication> SubmitAsync(Guid id, IfMatch? ifMatch, MarketUser user, CancellationToken ct)
    {
        var calendar = await calendars.CurrentAsync(ct);
        var submitted = await ChangeAsync(id, ifMatch, a => a.EnsureOwnedBy(user), a => a.Submit(rules, calendar, user, Now), ct);
        await AnnounceMissingCalendarAsync(submitted.Decision, submitted.ReceivedOn!.Value, ct);
        return submitted;
    }

    /// <summary>The applicant's organisation changes its application (its documents), whatever its version.</summary>
    public Task<ContractApplication> ChangeAsApplicantAsync(Guid id, MarketUser user, Action<ContractApplication> change, CancellationToken ct) =>
        ChangeAsync(id, null, a => a.EnsureOwnedBy(user), change, ct);

    /// <summary>
    /// Checks first (who, state, rules) so that no number is drawn for an application that cannot be
    /// registered; then takes the number drawn for this application (drawing the point's next
    /// one if none was), and registers. Two requests for one application share one number:
    /// the one that registers first keeps it, the other is refused, and the sequence has no gap.
    /// </summary>
    public async Task<ContractApplication> RegisterAsync(Guid id, IfMatch? ifMatch, RegisterInput? input, MarketUser user, CancellationToken ct)
    {
        var note = ApplicationRules.RegistrarNote(input);
        var current = await LoadAsync(id, ct);
        current.EnsureRegistrar(user);
        if (ifMatch is not null && !ifMatch.Matches(current.Version))
            throw new PreconditionFailedException($"申请已被修改（当前版本 {current.Version}），请刷新后重试 / It is at version {current.Version}, not {ifMatch}.");
        if (current.Status != ApplicationStatus.Submitted)
            throw new ConflictException("当前状态不能登记 / An application in this status cannot be registered.");
        var calendar = await calendars.CurrentAsync(ct);
        var check = rules.Evaluate(current.Facts, current.ReceivedOn!.Value, calendar);
        if (!check.Registrable)
            throw new ConflictException("规则检查发现不予登记的情形，请退回补正或不予登记 / The rules found reasons not to register; return or refuse it.");
        var year = Now.ToOffset(ContractApplication.ChinaTime).Year;
        var number = await numbers.NextAsync(current.RegistrationPoint, year, id.ToString(), ct);
        return await ChangeAsync(id, ifMatch, a => a.EnsureRegistrar(user), a => a.Register(rules, calendar, number, user, note, Now), ct);
    }

    public async Task<ContractApplication> RefuseAsync(Guid id, IfMatch? ifMatch, RefuseInput? input, MarketUser user, CancellationToken ct)
    {
        var calendar = await calendars.CurrentAsync(ct);
        return await ChangeAsync(id, ifMatch, a => a.EnsureRegistrar(user), a =>
        {
            var found = a.ReceivedOn is { } received ? rules.Evaluate(a.Facts, received, calendar) : null;
            var (reasons, note) = ApplicationRules.Refusal(input, found);
            a.Refuse(reasons, note, user, Now);
        }, ct);
    }

    public Task<ContractApplication> ReturnAsync(Guid id, IfMatch? ifMatch, NoteInput? input, MarketUser user, CancellationToken ct) =>
        ChangeAsync(id, ifMatch, a => a.EnsureRegistrar(user), a => a.ReturnForCorrection(ApplicationRules.CorrectionNote(input), user, Now), ct);

    public Task<ContractApplication> RevokeAsync(Guid id, IfMatch? ifMatch, ReasonInput? input, MarketUser user, CancellationToken ct) =>
        ChangeAsync(id, ifMatch, a => a.EnsureRegistrar(user), a => a.Revoke(ApplicationRules.RevocationReason(input), user, Now), ct);

    /// <summary>The application a registration number was given to, or null (also for anything that is not a 16-digit number).</summary>
    public async Task<ContractApplication?> FindByNumberAsync(string number, CancellationToken ct)
    {
        if (number.Length != 16 || !number.All(char.IsAsciiDigit)) return null;
        var (items, _) = await applications.QueryAsync(new DocumentQuery { Filters = [FieldFilter.Eq("registrationNumber", number)], Take = 1, CountTotal = false }, ct);
        return items.FirstOrDefault();
    }

    public async Task<ContractApplication> LoadByNumberAsync(string number, CancellationToken ct) =>
        await FindByNumberAsync(number, ct) ?? throw new NotFoundException($"登记号 {number} 不存在 / No registration {number}.");

    public async Task<TaxCheck> RecordTaxCheckAsync(string number, TaxCheckInput? input, MarketUser user, CancellationToken ct)
    {
        var application = await LoadByNumberAsync(number, ct);
        TaxCheck? check = null;
        await ChangeAsync(application.Id, null, _ => { }, a =>
        {
            var (caseReference, note) = ApplicationRules.TaxCheck(input);
            check = a.RecordTaxCheck(user, caseReference, note, NewId.NextGuid(), Now);
        }, ct);
        return check!;
    }

    public async Task<IReadOnlyList<TaxCheck>> TaxChecksAsync(string number, MarketUser user, CancellationToken ct)
    {
        var application = await LoadByNumberAsync(number, ct);
        application.EnsureTaxChecksVisibleTo(user);
        return application.TaxChecks;
    }

    /// <summary>Every registered (and not revoked) contract, in order of registration.</summary>
    public Task<List<ContractApplication>> RegisteredAsync(CancellationToken ct) =>
        applications.QueryAllAsync([FieldFilter.Eq("status", WireCode.Of(ApplicationStatus.Registered))], "registeredAt", ct);

    private Task<ContractApplication> ChangeAsync(Guid id, IfMatch? ifMatch, Action<ContractApplication> authorize, Action<ContractApplication> change, CancellationToken ct) =>
        applications.ChangeAsync(t => LoadAsync(id, t), ifMatch, authorize, change, ct);
}
