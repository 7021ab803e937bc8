using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;

namespace Marketplace.Listing.Listings;

/// <summary>
/// An offer (科技成果), demand (技术需求) or open challenge (揭榜挂帅).
/// draft → pending_review → published → withdrawn | expired;
/// pending_review → rejected (reason) → draft. Every change is in <see cref="History"/>.
/// </summary>
internal sealed class Listing : AggregateRoot
{
    private List<Proposal> _proposals = [];
    private List<HistoryEntry> _history = [];
    private List<AttachedFile> _attachments = [];

    private Listing() { }

    public Guid Id { get; private set; }
    public ListingKind Kind { get; private set; }
    public ListingStatus Status { get; private set; }
    public string OwnerOrg { get; private set; } = "";
    public string? OwnerOrgName { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public string SubMarket { get; private set; } = "";
    public ListingContent Content { get; private set; } = null!;
    public string? RejectionReason { get; private set; }
    public bool IsDemo { get; private set; }
    /// <summary>Once published, later changes are announced as <see cref="ListingUpdated"/>.</summary>
    public bool EverPublished { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The creation time made unique by the id: the stable order of a walk through every listing.</summary>
    public string CreatedKey => IndexFormat.TimeKey(CreatedAt, Id);
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public IReadOnlyList<Proposal> Proposals { get => _proposals; private set => _proposals = [.. value]; }
    public Award? Award { get; private set; }
    public IReadOnlyList<HistoryEntry> History { get => _history; private set => _history = [.. value]; }
    /// <summary>Certificates, brochures and photos behind the listing (<see cref="ListingFiles"/>), oldest first.</summary>
    public IReadOnlyList<AttachedFile> Attachments { get => _attachments; private set => _attachments = [.. value]; }
    /// <summary>Fingerprint of the create request, to tell an Idempotency-Key replay from a reuse.</summary>
    public string? RequestFingerprint { get; private set; }

    public override string StoreId => Id.ToString();

    public static Listing Create(Guid id, ListingKind kind, string subMarket, ListingContent content, MarketUser owner, bool isDemo, string? fingerprint, DateTimeOffset now)
    {
        var listing = new Listing
        {
            Id = id,
            Kind = kind,
            Status = ListingStatus.Draft,
            OwnerOrg = owner.Organisation,
            OwnerOrgName = owner.OrganisationName,
            CreatedBy = owner.Subject,
            SubMarket = subMarket,
            Content = content,
            IsDemo = isDemo,
            CreatedAt = now,
            UpdatedAt = now,
            RequestFingerprint = fingerprint,
        };
        listing.Record(now, owner.Subject, "created", null);
        return listing;
    }

    public bool IsOwnedBy(MarketUser? user) => user is not null && user.Organisation == OwnerOrg;

    /// <summary>Who may read it: published is public; otherwise its owner, or an operator of its sub-market once submitted.</summary>
    public bool IsVisibleTo(MarketUser? user) =>
        IsPublic || IsOwnedBy(user) || (user is not null && user.IsOperatorOf(SubMarket) && Status != ListingStatus.Draft);

    public bool IsPublic => Status is ListingStatus.Published;

    /// <summary>
    /// Who may read one of its files: the owner organisation and the sub-market's operators always; once published,
    /// anyone a photo, and signed-in users the certificates and brochures.
    /// </summary>
    public bool MayRead(AttachedFile file, MarketUser? user) =>
        IsOwnedBy(user) || (user is not null && user.IsOperatorOf(SubMarket))
        || (IsPublic && (user is not null || file.Kind == ListingFiles.Photo));

    public void Edit(ListingContent content, MarketUser by, DateTimeOffset now)
    {
        switch (Status)
        {
            case ListingStatus.Draft:
                break;
            case ListingStatus.Rejected:
                Correcting();
                break;
            case ListingStatus.Published:
                // An approved text changes only through review again; meanwhile it leaves search.
                Status = ListingStatus.PendingReview;
                break;
            default:
                throw new ConflictException(StateMessage("编辑", "edited"));
        }
        Content = content;
        Touch(now, by.Subject, "edited", null);
        if (EverPublished && Status == ListingStatus.PendingReview) Raise(new ListingUpdated { Listing = Snapshot() });
    }

    public void Submit(MarketUser by, DateTimeOffset now)
    {
        if (Status != ListingStatus.Draft) throw new ConflictException(StateMessage("提交审核", "submitted"));
        EnsureDeadlinesAhead(now);
        Status = ListingStatus.PendingReview;
        Touch(now, by.Subject, "submitted", null);
    }

    public void Approve(MarketUser by, DateTimeOffset now)
    {
        if (Status != ListingStatus.PendingReview) throw new ConflictException(StateMessage("审核通过", "approved"));
        EnsureDeadlinesAhead(now);
        Status = ListingStatus.Published;
        PublishedAt = now;
        EverPublished = true;
        Touch(now, by.Subject, "approved", null);
        Raise(new ListingPublished { Listing = Snapshot() });
    }

    public void Reject(MarketUser by, string reason, DateTimeOffset now)
    {
        if (Status != ListingStatus.PendingReview) throw new ConflictException(StateMessage("驳回", "rejected"));
        Status = ListingStatus.Rejected;
        RejectionReason = reason;
        Touch(now, by.Subject, "rejected", reason);
        Raise(new ListingRejected
        {
            ListingId = Id, Version = Version + 1, OwnerOrg = OwnerOrg, Title = Content.Title, SubMarket = SubMarket, Reason = reason, RejectedAt = now,
        });
    }

    /// <summary>From review back to draft (no one saw it), or off the market once published.</summary>
    public void Withdraw(MarketUser by, string? reason, DateTimeOffset now)
    {
        switch (Status)
        {
            case ListingStatus.PendingReview:
                Status = ListingStatus.Draft;
                Touch(now, by.Subject, "review_cancelled", reason);
                // An edit of a published listing left search already; nothing more to announce.
                break;
            case ListingStatus.Published:
                Status = ListingStatus.Withdrawn;
                Touch(now, by.Subject, "withdrawn", reason);
                Raise(new ListingWithdrawn { ListingId = Id, Version = Version + 1, SubMarket = SubMarket, Reason = reason, WithdrawnAt = now });
                break;
            default:
                throw new ConflictException(StateMessage("撤回", "withdrawn"));
        }
    }

    /// <summary>Files change only while the text may change without review: a draft, or a rejected listing being corrected.</summary>
    public bool FilesEditable => Status is ListingStatus.Draft or ListingStatus.Rejected;

    /// <summary>Records an uploaded file; 409 once submitted or published, or when the listing holds <paramref name="max"/> files.</summary>
    public void Attach(AttachedFile file, int max, MarketUser by, DateTimeOffset now)
    {
        EnsureCanAttach(max);
        _attachments.Add(file);
        Correcting();
        Touch(now, by.Subject, "attachment_added", file.Name);
    }

    /// <summary>Removes a file from the listing; 404 when it has no such file, 409 once submitted or published.</summary>
    public AttachedFile Detach(Guid fileId, MarketUser by, DateTimeOffset now)
    {
        var file = AttachedFileRules.Find(_attachments, fileId);
        EnsureFilesEditable("删除附件", "lose attachments");
        _attachments.Remove(file);
        Correcting();
        Touch(now, by.Subject, "attachment_removed", file.Name);
        return file;
    }

    /// <summary>A change by the owner of a rejected listing is its correction: a draft again, as an edit makes it.</summary>
    private void Correcting()
    {
        if (Status != ListingStatus.Rejected) return;
        Status = ListingStatus.Draft;
        RejectionReason = null;
    }

    /// <summary>409 unless a file may be added now: the listing's files may change and it holds fewer than <paramref name="max"/>.</summary>
    public void EnsureCanAttach(int max)
    {
        EnsureFilesEditable("添加附件", "take attachments");
        AttachedFileRules.EnsureRoom(_attachments, max);
    }

    private void EnsureFilesEditable(string zh, string en)
    {
        if (!FilesEditable)
            throw new ConflictException($"当前状态（{WireCode.Of(Status)}）不能{zh}：附件只能在草稿或被驳回待修改时变动 / A listing in status '{WireCode.Of(Status)}' cannot {en}: files change only in a draft or a rejected listing.");
    }

    /// <summary>A demand or challenge whose deadline passed leaves the market.</summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (Status != ListingStatus.Published || Content.Deadline is not { } deadline || deadline > now) return false;
        Status = ListingStatus.Expired;
        Touch(now, "system", "expired", null);
        Raise(new ListingUpdated { Listing = Snapshot() });
        return true;
    }

    public Proposal AddProposal(MarketUser by, string summary, string? approach, decimal? quotedAmount, Contact? contact, Guid proposalId, DateTimeOffset now)
    {
        if (Kind != ListingKind.Challenge) throw new ConflictException("只有揭榜挂帅项目可以揭榜 / Only open challenges take proposals.");
        if (Status != ListingStatus.Published) throw new ConflictException("该榜单未在发布中 / The challenge is not open.");
        if (Award is not null) throw new ConflictException("该榜单已确定揭榜方 / The challenge has been awarded.");
        if (Content.ProposalDeadline is { } closes && closes <= now)
            throw new ConflictException("揭榜截止时间已过 / The proposal deadline has passed.");
        if (by.Organisation == OwnerOrg) throw new ForbiddenException("发榜单位不能揭自己的榜 / The challenge owner cannot answer its own challenge.");
        if (Proposals.Any(p => p.Org == by.Organisation))
            throw new ConflictException("本单位已提交揭榜方案 / Your organisation has already submitted a proposal.");
        var proposal = new Proposal
        {
            Id = proposalId,
            Org = by.Organisation,
            OrgName = by.OrganisationName,
            SubmittedBy = by.Subject,
            Summary = summary,
            Approach = approach,
            QuotedAmount = quotedAmount,
            Contact = contact,
            SubmittedAt = now,
        };
        _proposals.Add(proposal);
        Touch(now, by.Subject, "proposal_submitted", null);
        Raise(new ProposalSubmitted
        {
            ListingId = Id, ProposalId = proposal.Id, OwnerOrg = OwnerOrg, Title = Content.Title, SubMarket = SubMarket,
            ProposerOrg = by.Organisation, ProposerOrgName = by.OrganisationName, SubmittedAt = now,
        });
        return proposal;
    }

    public void AwardTo(MarketUser by, Guid proposalId, decimal? amount, string? note, DateTimeOffset now)
    {
        if (Kind != ListingKind.Challenge) throw new ConflictException("只有揭榜挂帅项目可以评定 / Only open challenges are awarded.");
        if (Status != ListingStatus.Published) throw new ConflictException("该榜单未在发布中 / The challenge is not open.");
        if (Award is not null) throw new ConflictException("该榜单已确定揭榜方 / The challenge has already been awarded.");
        var proposal = Proposals.FirstOrDefault(p => p.Id == proposalId)
            ?? throw ValidationFailedException.For("proposalId", "该榜单没有这个揭榜方案 / No such proposal on this challenge.");
        Award = new Award
        {
            ProposalId = proposal.Id,
            WinnerOrg = proposal.Org,
            WinnerOrgName = proposal.OrgName,
            Amount = amount ?? proposal.QuotedAmount ?? Content.Bounty,
            Note = note,
            AwardedAt = now,
        };
        Touch(now, by.Subject, "awarded", note);
        Raise(new ChallengeAwarded
        {
            ListingId = Id,
            Version = Version + 1,
            ProposalId = proposal.Id,
            WinnerOrg = proposal.Org,
            WinnerOrgName = proposal.OrgName,
            OwnerOrg = OwnerOrg,
            SubMarket = SubMarket,
            Field = Content.Field,
            Amount = Award.Amount,
            AwardedAt = now,
        });
        Raise(new ListingUpdated { Listing = Snapshot() });
    }

    /// <summary>
    /// The listing as other services see it: at the version the pending change will be saved as,
    /// or (<paramref name="asStored"/>) at the version it is stored at now.
    /// </summary>
    public ListingSnapshot Snapshot(bool asStored = false) => new()
    {
        Id = Id,
        Version = asStored ? Version : Version + 1,
        Kind = Kind,
        Status = Status,
        OwnerOrg = OwnerOrg,
        OwnerOrgName = OwnerOrgName,
        SubMarket = SubMarket,
        Title = Content.Title,
        Summary = Content.Summary,
        Description = Content.Description,
        Field = Content.Field,
        Keywords = Content.Keywords,
        Maturity = Content.Maturity,
        TransferModes = Kind == ListingKind.Offer ? Content.TransferModes : Content.CooperationModes,
        Price = Content.Price,
        IpItems = Content.IpItems,
        HolderOrganisation = Content.HolderOrganisation,
        Budget = Content.Budget,
        Deadline = Content.Deadline,
        Bounty = Content.Bounty,
        ProposalDeadline = Content.ProposalDeadline,
        Awarded = Award is not null,
        IsDemo = IsDemo,
        PublishedAt = PublishedAt,
        UpdatedAt = UpdatedAt,
    };

    private void EnsureDeadlinesAhead(DateTimeOffset now)
    {
        var v = new Validator();
        if (Content.Deadline is { } deadline) v.Check(deadline > now, "deadline", "截止日期已过，请先修改 / The deadline has passed; edit it first.");
        if (Content.ProposalDeadline is { } closes) v.Check(closes > now, "proposalDeadline", "揭榜截止时间已过，请先修改 / The proposal deadline has passed; edit it first.");
        v.ThrowIfInvalid();
    }

    private void Touch(DateTimeOffset now, string by, string action, string? note)
    {
        UpdatedAt = now;
        Record(now, by, action, note);
    }

    private void Record(DateTimeOffset now, string by, string action, string? note) =>
        _history.Add(new HistoryEntry(now, by, action, Status, note));

    private string StateMessage(string zh, string en) =>
        $"当前状态（{WireCode.Of(Status)}）不能{zh} / A listing in status '{WireCode.Of(Status)}' cannot be {en}.";
}
