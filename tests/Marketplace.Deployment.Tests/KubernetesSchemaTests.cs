using k8s;
using static Marketplace.Deployment.Tests.KubernetesTests;

namespace Marketplace.Deployment.Tests;

/// <summary>
/// The rendered manifests read strictly into the Kubernetes client's models (KubernetesClient): a field
/// the API does not know (a typo such as <c>readinesProbe</c>, which the API server drops with no more
/// than a warning, and which the npm schema check lets through) fails, and so does a value of the wrong
/// type or a kind the API does not have. The models of KubernetesClient 21 carry no <c>Validate()</c> and
/// no marks for required fields: those are the npm check's part (kubernetes-models validates against
/// the OpenAPI schema, required fields included: KubernetesTests).
/// </summary>
public sealed class KubernetesSchemaTests
{
    /// <summary>The operators' custom resources: their CRDs check them when applied; KubernetesStoreTests checks what the market relies on.</summary>
    private static readonly HashSet<string> CustomResources =
    [
        "mongodbcommunity.mongodb.com/v1 MongoDBCommunity",
        "rabbitmq.com/v1beta1 RabbitmqCluster",
        "rabbitmq.com/v1beta1 User",
        "rabbitmq.com/v1beta1 Permission",
    ];

    /// <summary>Every document that fails the strict check, as "Kind/name: why"; the typed models of those that pass.</summary>
    internal static (List<string> Problems, List<object> Models) Check(string manifests)
    {
        var problems = new List<string>();
        var models = new List<object>();
        foreach (var text in SplitDocuments(manifests))
        {
            var doc = Documents(text).Single();
            var name = $"{doc.GetValueOrDefault("kind")}/{(Has(doc, "metadata", "name") ? At<string>(doc, "metadata", "name") : "?")}";
            if (CustomResources.Contains($"{doc.GetValueOrDefault("apiVersion")} {doc.GetValueOrDefault("kind")}")) continue;
            try
            {
                models.Add(KubernetesYaml.LoadAllFromString(text, strict: true).Single());
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                problems.Add($"{name}: {Innermost(e).Message}");
            }
        }
        return (problems, models);
    }

    private static Exception Innermost(Exception e) => e is YamlDotNet.Core.YamlException { InnerException: { } inner } ? Innermost(inner) : e;

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task Every_rendered_manifest_reads_strictly_into_the_Kubernetes_models_and_validates(string overlay)
    {
        var (problems, models) = Check(await RenderText(overlay));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // the check saw the manifests as the models they are (not as untyped maps)
        Assert.Equal(6, models.OfType<k8s.Models.V1Deployment>().Count());
        Assert.Equal(6, models.OfType<k8s.Models.V1Service>().Count());
        Assert.Equal(6, models.OfType<k8s.Models.V1PodDisruptionBudget>().Count());
        Assert.Equal(3, models.OfType<k8s.Models.V2HorizontalPodAutoscaler>().Count());
        Assert.Contains(models.OfType<k8s.Models.V1NetworkPolicy>(), p => p.Metadata.Name == "default-deny");
        var gateway = models.OfType<k8s.Models.V1Deployment>().Single(d => d.Metadata.Name == "gateway");
        Assert.Equal("/health/ready", gateway.Spec.Template.Spec.Containers[0].ReadinessProbe.HttpGet.Path);
    }

    [Theory]
    [InlineData("readinessProbe:", "readinesProbe:", "readinesProbe")]            // a field the API does not know
    [InlineData("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true", "readOnlyRootFileSystem")]
    [InlineData("imagePullPolicy: IfNotPresent", "imagePulPolicy: IfNotPresent", "imagePulPolicy")]
    [InlineData("periodSeconds: 5", "periodSeconds: five", "five")]                  // a value of the wrong type
    public async Task A_misspelt_field_in_a_real_manifest_fails_the_check(string field, string typo, string reported)
    {
        var manifests = await RenderText("k8s/overlays/production");
        Assert.Contains(field, manifests);
        var gateway = SplitDocuments(manifests).Single(d => d.StartsWith("apiVersion: apps/v1\nkind: Deployment\n", StringComparison.Ordinal) && d.Contains("\n  name: gateway\n", StringComparison.Ordinal));
        var broken = manifests.Replace(gateway, ReplaceFirst(gateway, field, typo), StringComparison.Ordinal);

        var (problems, _) = Check(broken);
        var problem = Assert.Single(problems);
        Assert.StartsWith("Deployment/gateway: ", problem);
        Assert.Contains(reported, problem);
    }

    [Fact]
    public void A_kind_the_API_does_not_have_fails_the_check()
    {
        var (problems, _) = Check("""
            apiVersion: apps/v1
            kind: Deploymnet
            metadata:
              name: broken
            """);
        Assert.StartsWith("Deploymnet/broken: ", Assert.Single(problems));
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{what}' is not in the manifest");
        return string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length));
    }
}
