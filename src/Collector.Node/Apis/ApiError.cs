using Microsoft.AspNetCore.Http;

namespace Flowhive.Collector.Apis;

/// <summary>Every API error is JSON with a stable code and a message a person can act on.</summary>
public static class ApiError
{
    public static IResult BadRequest(string message) => Results.Json(new { error = "bad_request", message }, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string message) => Results.Json(new { error = "not_found", message }, statusCode: StatusCodes.Status404NotFound);

    public static IResult Unavailable(string message) => Results.Json(new { error = "unavailable", message }, statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>Rejects query parameters the endpoint does not know, so a typo is an error rather than a silently ignored filter.</summary>
    public static IResult? UnknownParameters(HttpRequest request, params string[] known)
    {
        foreach (var key in request.Query.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                return BadRequest($"unknown parameter '{key}'; accepted: {(known.Length == 0 ? "none" : string.Join(", ", known))}");
            }
        }

        return null;
    }
}
