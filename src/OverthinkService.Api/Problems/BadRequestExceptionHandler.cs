using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OverthinkService.Api.Problems;

/// <summary>
/// Turns the framework's <see cref="BadHttpRequestException"/> (a query value that does not bind, such as
/// <c>limit=abc</c>, or an unreadable body) into a problem with its own status and the framework's message,
/// naming the parameter where it can — instead of a 500 (with <c>ThrowOnBadRequest</c>) or an empty 400.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Type = ApiProblems.TypePrefix + "invalid-request",
            Title = "The request is not valid",
            Detail = bad.Message,
        };
        if (BindFailure().Match(bad.Message) is { Success: true } match)
        {
            problem.Extensions["parameter"] = match.Groups["name"].Value;
            problem.Extensions["value"] = match.Groups["value"].Value;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    // The framework's wording: Failed to bind parameter "Nullable<int> limit" from "abc".
    [GeneratedRegex("""^Failed to bind parameter "(?:[^"]*\s)?(?<name>[^"\s]+)" from "(?<value>[^"]*)"\.""")]
    private static partial Regex BindFailure();
}
