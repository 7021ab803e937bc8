using Marketplace.ServiceDefaults.Validation;
using static Marketplace.ServiceDefaults.Validation.PatentApplicationNumber;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // a published example code
    [InlineData("12430100MA4L00001P")]
    public void Valid_credit_codes_pass(string code) => Assert.True(CreditCode.IsValid(code));

    [Theory]
    [InlineData("91350100M000100Y44")] // wrong check character
    [InlineData("91350100M000100Y4")]  // too short
    [InlineData("91350100M000100I43")] // I is not in the alphabet
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_credit_codes_fail(string? code) => Assert.False(CreditCode.IsValid(code));

    [Fact]
    public void WithCheck_completes_a_code_that_validates() =>
        Assert.True(CreditCode.IsValid(CreditCode.WithCheck("91430100MA4L12345")));

    [Theory]
    [InlineData("201710601862.3", Kind.Invention)]  // worked example of the CNIPA rule
    [InlineData("ZL201710601862.3", Kind.Invention)]
    [InlineData("CN 201710601862.3", Kind.Invention)]
    [InlineData("95115608.X", Kind.Invention)]     // pre-2003 form, check 10 written X
    public void Valid_patent_application_numbers_pass(string number, Kind kind) => Assert.Null(Problem(number, kind));

    [Theory]
    [InlineData("201710601862.4", "校验位")]
    [InlineData("201710601862", "格式")]
    [InlineData("20171060186.3", "12 位")]
    [InlineData("2017106018A2.3", "12 位")]
    public void Bad_patent_numbers_say_why(string number, string reason) =>
        Assert.Contains(reason, Problem(number, Kind.Invention));

    [Fact]
    public void The_type_digit_must_match_the_ip_type()
    {
        var utility = WithCheck("202320123456");
        Assert.Null(Problem(utility, Kind.UtilityModel));
        Assert.Contains("类型位", Problem(utility, Kind.Invention));
        Assert.Contains("类型位", Problem(utility, Kind.Design));
    }
}
