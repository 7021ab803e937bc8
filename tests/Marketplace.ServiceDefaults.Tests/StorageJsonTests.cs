using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class StorageJsonTests
{
    private sealed class Guarded
    {
        private Guarded() { }
        public Guarded(decimal amount) => Amount = amount;
        public decimal Amount { get; private set; }
        public ListingStatus Status { get; private set; } = ListingStatus.PendingReview;
        public List<string> Tags { get; private set; } = ["a"];
    }

    [Fact]
    public void Aggregates_with_private_setters_round_trip_exactly()
    {
        var json = JsonSerializer.Serialize(new Guarded(12345678901.23m), MarketJson.Storage);
        Assert.Contains("\"pending_review\"", json);
        var back = JsonSerializer.Deserialize<Guarded>(json, MarketJson.Storage)!;
        Assert.Equal(12345678901.23m, back.Amount);
        Assert.Equal(ListingStatus.PendingReview, back.Status);
        Assert.Equal(["a"], back.Tags);
    }

    private sealed class Versioned : Marketplace.ServiceDefaults.Storage.AggregateRoot
    {
        private Versioned() { }
        public string Id { get; private set; } = "";
        public int Count { get; private set; }
        public override string StoreId => Id;
        public void Increment() => Count++;
    }

    /// <summary>Rolling update: an old replica changes a document a newer release wrote and keeps the newer fields.</summary>
    [Fact]
    public void Fields_written_by_a_newer_release_survive_a_change_by_an_older_one()
    {
        const string newer = """{"id":"x","count":1,"reviewNote":{"by":"op-7","text":"已核实"},"priority":3}""";
        var old = JsonSerializer.Deserialize<Versioned>(newer, MarketJson.Storage)!;
        old.Increment();
        var written = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(old, MarketJson.Storage))!;
        Assert.Equal(2, (int)written["count"]!);
        Assert.Equal("已核实", (string)written["reviewNote"]!["text"]!);
        Assert.Equal(3, (int)written["priority"]!);
        Assert.Null(written["unknownFields"]);
    }

    [Fact]
    public void Wire_codes_are_snake_case_and_unknown_codes_are_a_validation_error()
    {
        Assert.Equal("pending_review", WireCode.Of(ListingStatus.PendingReview));
        Assert.Equal(ListingKind.Challenge, WireCode.Parse<ListingKind>("challenge", "kind"));
        Assert.Null(WireCode.Parse<ListingKind>(null, "kind"));
        var e = Assert.Throws<ValidationFailedException>(() => WireCode.Parse<ListingKind>("Offer", "kind"));
        Assert.Contains("offer, demand, challenge", e.Errors["kind"][0]);
    }
}
