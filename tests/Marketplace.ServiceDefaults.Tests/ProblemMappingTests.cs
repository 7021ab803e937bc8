using Marketplace.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class ProblemMappingTests
{
    [Fact]
    public void A_query_value_that_does_not_bind_is_a_validation_error_naming_the_parameter()
    {
        var problem = Assert.IsType<HttpValidationProblemDetails>(ProblemDetailsExceptionHandler.Map(
            new BadHttpRequestException("Failed to bind parameter \"int? page\" from \"abc\".")));
        Assert.Equal(400, problem.Status);
        var error = Assert.Single(problem.Errors["page"]);
        Assert.Contains("不是有效的", error);
        Assert.Contains("'abc' is not a valid page (int)", error);
    }

    [Fact]
    public void A_missing_required_parameter_is_a_validation_error_naming_it()
    {
        var problem = Assert.IsType<HttpValidationProblemDetails>(ProblemDetailsExceptionHandler.Map(
            new BadHttpRequestException("Required parameter \"string q\" was not provided from query string.")));
        Assert.Contains("q is required", Assert.Single(problem.Errors["q"]));
    }

    [Fact]
    public void A_file_too_large_is_413_and_a_file_of_another_type_415_with_the_reason()
    {
        var tooLarge = ProblemDetailsExceptionHandler.Map(new Marketplace.ServiceDefaults.Storage.Files.FileTooLargeException(20 * 1024 * 1024));
        Assert.Equal(413, tooLarge.Status);
        Assert.Contains("20", tooLarge.Detail);
        var wrongType = ProblemDetailsExceptionHandler.Map(new Marketplace.ServiceDefaults.Storage.Files.UnsupportedFileTypeException("只接受 PDF、PNG、JPEG / Only PDF, PNG or JPEG."));
        Assert.Equal(415, wrongType.Status);
        Assert.Contains("PDF", wrongType.Detail);
    }

    [Fact]
    public void Other_bad_requests_keep_their_status()
    {
        var problem = ProblemDetailsExceptionHandler.Map(new BadHttpRequestException("Unexpected end of request content.", 400));
        Assert.IsNotType<HttpValidationProblemDetails>(problem);
        Assert.Equal(400, problem.Status);
    }
}
