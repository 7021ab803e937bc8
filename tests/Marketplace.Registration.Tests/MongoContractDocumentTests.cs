using Marketplace.TestKit;
using MongoDB.Driver;

namespace Marketplace.Registration.Tests;

/// <summary>The registration host on MongoDB (GridFS for the documents), where MARKETPLACE_TEST_MONGO names a server.</summary>
public sealed class MongoRegistrationApi : RegistrationApi
{
    private readonly string _prefix = "registration-api-" + Guid.NewGuid().ToString("N")[..8] + "-";

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Storage:Provider", "MongoDb"),
        new("Storage:MongoConnectionString", MongoFactAttribute.ConnectionString ?? ""),
        new("Storage:MongoDatabasePrefix", _prefix),
    ];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && MongoFactAttribute.ConnectionString is { } connection)
            new MongoClient(connection).DropDatabase(_prefix + RegistrationModule.StoreKey);
    }
}

/// <summary>The document routes' cases (<see cref="ContractDocumentTests"/>) with the documents in GridFS.</summary>
public sealed class MongoContractDocumentTests(MongoRegistrationApi api) : IClassFixture<MongoRegistrationApi>
{
    private ContractDocumentTests Cases => new(api);

    [MongoFact]
    public Task Upload() => Cases.The_contract_text_is_uploaded_with_its_SHA256_and_listed_on_the_application();

    [MongoFact]
    public Task Download() => Cases.A_document_downloads_with_its_type_name_SHA256_ETag_and_ranges();

    [MongoFact]
    public Task Program_renamed_pdf() => Cases.A_program_renamed_pdf_is_415_with_the_reason_and_nothing_is_stored();

    [MongoFact]
    public Task Broken_pdf() => Cases.A_broken_or_empty_PDF_is_400_naming_the_file_and_nothing_is_stored();

    [MongoFact]
    public Task Too_large() => Cases.A_file_larger_than_allowed_is_413_whether_or_not_its_length_is_declared_and_nothing_is_stored();

    [MongoFact]
    public Task Too_many_and_racing() => Cases.One_more_document_than_allowed_is_409_and_racing_uploads_get_exactly_the_free_slots();

    [MongoFact]
    public Task Bad_forms() => Cases.A_form_that_is_not_as_the_route_reads_it_is_refused_with_the_reason_and_nothing_is_stored();

    [MongoFact]
    public Task Fixed_after_submission() => Cases.Documents_change_only_while_the_application_may_be_edited();

    [MongoFact]
    public Task Access() => Cases.Only_the_applicant_uploads_and_removes_and_nobody_else_reaches_a_draft();

    [MongoFact]
    public Task Certificate() => Cases.The_certificate_states_each_documents_SHA256_so_the_file_can_be_checked_against_it();
}
