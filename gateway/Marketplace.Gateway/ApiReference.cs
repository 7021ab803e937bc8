using Scalar.AspNetCore;

namespace Marketplace.Gateway;

/// <summary>
/// The interactive API reference (Scalar), beside the portal's <c>/docs</c> page, for everyone.
/// The browser reads the OpenAPI documents from <c>/openapi/{name}.json</c>: embedded, the
/// gateway's own document holds every module; in proxy mode each service's document is forwarded
/// (see <c>ReverseProxy:Routes</c>) and the gateway's own holds sign-in and administration.
/// </summary>
public static class ApiReference
{
    public const string Path = "/docs/reference";

    /// <summary>The OpenAPI documents the reference lists, by name and title.</summary>
    public static IReadOnlyList<(string Name, string Title)> Documents(bool embedded) => embedded
        ? [("v1", "潇湘科技要素大市场 / The market (every service)")]
        :
        [
            ("listing", "成果与需求 / Listing"),
            ("matching", "检索与匹配 / Matching"),
            ("broker", "技术经纪 / Broker"),
            ("registration", "合同登记 / Registration"),
            ("notifications", "站内消息 / Notifications"),
            ("v1", "登录与系统管理 / Sign-in and administration"),
        ];

    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder app, bool embedded) =>
        app.MapScalarApiReference(Path, options =>
        {
            options.WithTitle("接口参考 · 潇湘科技要素大市场 / API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                // the page loads nothing from elsewhere: Scalar's script is served from its package
                .DisableDefaultFonts();
            foreach (var (name, title) in Documents(embedded)) options.AddDocument(name, title);
        }).AllowAnonymous();
}
