using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Flowhive.Collector.Apis;

/// <summary>
/// Decides whether a request may reach the API. This is the slot where authentication (sessions, Basic,
/// API tokens) and per-user network restrictions plug in; until users exist every request is allowed and
/// the start-up log says so.
/// </summary>
public interface IApiAccessPolicy
{
    /// <summary>Null to let the request through, or the response that refuses it.</summary>
    ValueTask<IResult?> CheckAsync(HttpContext context);
}

/// <summary>No users configured: everything is allowed (logged at start).</summary>
public sealed class OpenAccessPolicy : IApiAccessPolicy
{
    public ValueTask<IResult?> CheckAsync(HttpContext context) => ValueTask.FromResult<IResult?>(null);
}

public static class ApiAccess
{
    /// <summary>Runs the registered <see cref="IApiAccessPolicy"/> on every /api request.</summary>
    public static IApplicationBuilder UseApiAccess(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            var policy = context.RequestServices.GetService(typeof(IApiAccessPolicy)) as IApiAccessPolicy ?? new OpenAccessPolicy();
            if (await policy.CheckAsync(context) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });
}
