namespace Marketplace.Broker;

internal sealed class BrokerOptions
{
    /// <summary>How long a broker has to accept or decline a lead before it moves to the next broker.</summary>
    public TimeSpan LeadTimeout { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often unanswered leads are looked for.</summary>
    public TimeSpan LeadSweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
