using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Shared;
using Microsoft.AspNetCore.Components.Forms;

namespace Marketplace.Portal.Tests;

/// <summary>The files of a listing or an application as the page shows them: list, preview, upload, removal.</summary>
public sealed class FileSectionTests : SignedInTestContext
{
    private static readonly Guid ApplicationId = Guid.Parse("c0000000-0000-0000-0000-0000000000c1");
    private static readonly FileOwner Contract = FileOwner.Contract(ApplicationId);

    private static readonly FileView ContractText = new()
    {
        Id = Guid.Parse("f0000000-0000-0000-0000-0000000000f1"), Kind = FileKind.ContractText, Name = "技术转让合同.pdf", ContentType = "application/pdf",
        Size = 14_540, Sha256 = new string('a', 64), UploadedAt = new DateTimeOffset(2026, 12, 1, 4, 5, 0, TimeSpan.Zero), UploadedBy = "王老师",
    };

    private static readonly FileView Seal = ContractText with
    {
        Id = Guid.Parse("f0000000-0000-0000-0000-0000000000f2"),
        Kind = FileKind.Annex,
        Name = "盖章页.png",
        ContentType = "image/png",
        Size = 812,
        UploadedBy = "demo-university",
    };

    public FileSectionTests() => SignIn(Roles.University, "hnu", "demo-university");

    private IRenderedComponent<FileSection> Section(bool editable, Action? changed = null, params FileView[] files) =>
        Render<FileSection>(p => p.Add(s => s.Owner, Contract).Add(s => s.Files, files).Add(s => s.Editable, editable)
            .Add(s => s.OnChanged, () => changed?.Invoke()));

    [Fact]
    public void Each_file_shows_its_name_kind_size_uploader_and_time_in_Beijing()
    {
        var section = Section(editable: false, files: [ContractText, Seal]);
        var rows = section.FindAll("[data-testid=file]");
        Assert.Equal(2, rows.Count);
        var cells = rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["技术转让合同.pdf", "合同文本", "14.2 KB", "王老师", "2026-12-01 12:05"], cells.Take(5));
        Assert.Equal("附件", rows[1].QuerySelector("[data-testid=file-kind-label]")!.TextContent);
        Assert.Equal("812 B", rows[1].QuerySelectorAll("td")[2].TextContent);
        // the bytes come through the portal's route, which carries the session's token
        Assert.Equal($"/portal/files/contracts/{ApplicationId}/{ContractText.Id}?download=true",
            rows[0].QuerySelector("[data-testid=file-download]")!.GetAttribute("href"));
    }

    [Fact]
    public void A_submitted_application_shows_its_files_to_read_and_preview_but_not_to_change()
    {
        var section = Section(editable: false, files: [ContractText, Seal]);
        Assert.Empty(section.FindAll("[data-testid=file-input]"));
        Assert.Empty(section.FindAll("[data-testid=file-remove]"));

        section.FindAll("[data-testid=file-preview-toggle]")[0].Click();
        var frame = section.Find("iframe[data-testid=file-preview]");
        Assert.Equal($"/portal/files/contracts/{ApplicationId}/{ContractText.Id}", frame.GetAttribute("src"));
        Assert.Empty(section.FindAll("object, embed")); // the policy has object-src 'none'

        section.FindAll("[data-testid=file-preview-toggle]")[1].Click();
        Assert.Equal("盖章页.png", section.Find("img[data-testid=file-preview]").GetAttribute("alt"));
        Assert.Empty(section.FindAll("iframe"));
    }

    [Fact]
    public void A_file_is_removed_only_once_the_user_confirms()
    {
        var changes = 0;
        Api.On($"DELETE /api/contracts/{ApplicationId}/documents/{ContractText.Id}", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
        var section = Section(editable: true, () => changes++, ContractText);

        section.Find("[data-testid=file-remove]").Click();
        Assert.Contains("确认删除“技术转让合同.pdf”", section.Find("[data-testid=remove-confirm]").TextContent);
        section.Find("[data-testid=remove-cancel]").Click();
        Assert.Empty(section.FindAll("[data-testid=remove-confirm]"));
        Assert.Empty(Api.Sent("DELETE", "/api/"));

        section.Find("[data-testid=file-remove]").Click();
        section.Find("[data-testid=remove-confirmed]").Click();
        section.WaitForAssertion(() => Assert.Equal(1, changes));
        Assert.Single(Api.Sent("DELETE", $"/api/contracts/{ApplicationId}/documents/{ContractText.Id}"));
        Assert.Contains("已删除“技术转让合同.pdf”", section.Find("[data-testid=file-notice]").TextContent);
    }

    [Fact]
    public void A_removal_the_API_refuses_says_why_in_Chinese()
    {
        Api.Problem($"DELETE /api/contracts/{ApplicationId}/documents/{ContractText.Id}", HttpStatusCode.Conflict, "状态不允许 / Not allowed now",
            "申请已提交，不能再删除材料 / The application was submitted; its documents cannot change.");
        var section = Section(editable: true, files: ContractText);
        section.Find("[data-testid=file-remove]").Click();
        section.Find("[data-testid=remove-confirmed]").Click();

        section.WaitForAssertion(() => Assert.Contains("申请已提交，不能再删除材料", section.Find("[data-testid=file-problem]").TextContent));
        Assert.DoesNotContain("submitted", section.Find("[data-testid=file-problem]").TextContent);
        Assert.Single(section.FindAll("[data-testid=file]")); // still listed
    }

    [Fact]
    public void An_upload_sends_the_kind_before_the_file_and_its_progress_runs_to_the_end()
    {
        var changes = 0;
        var pdf = "%PDF-1.4\n一份合同\n%%EOF\n"u8.ToArray();
        Api.On($"POST /api/contracts/{ApplicationId}/documents", ContractText with { Id = Guid.NewGuid() }, HttpStatusCode.Created);
        var section = Section(editable: true, () => changes++);
        section.Find("[data-testid=file-kind]").Change("annex");

        section.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(pdf, "技术转让合同.pdf", contentType: "application/pdf"));

        section.WaitForAssertion(() => Assert.Equal(1, changes));
        var body = Assert.Single(Api.Sent("POST", $"/api/contracts/{ApplicationId}/documents")).Body!;
        var kind = body.IndexOf("name=kind", StringComparison.Ordinal);
        var file = body.IndexOf("name=file", StringComparison.Ordinal);
        Assert.True(kind >= 0 && file > kind, "the kind goes first, the file last:\n" + body);
        Assert.Contains("annex", body[kind..file]);
        Assert.Contains("一份合同", body[file..]);
        var upload = section.Find("[data-testid=upload]");
        Assert.Equal("100", upload.GetAttribute("data-percent"));
        Assert.Equal("Done", upload.GetAttribute("data-state"));
        Assert.Contains("已上传“技术转让合同.pdf”", section.Find("[data-testid=file-notice]").TextContent);
    }

    [Fact]
    public void A_file_the_API_refuses_is_explained_in_Chinese_and_nothing_changes()
    {
        var changes = 0;
        Api.Problem($"POST /api/contracts/{ApplicationId}/documents", HttpStatusCode.BadRequest, "请求参数有误 / Invalid request", errors: new()
        {
            ["file"] = ["PDF 文件已损坏，无法打开 / The PDF is damaged and cannot be opened."],
        });
        var section = Section(editable: true, () => changes++);

        section.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary("%PDF-1.4 broken"u8.ToArray(), "合同.pdf", contentType: "application/pdf"));

        section.WaitForAssertion(() => Assert.Contains("“合同.pdf”未能上传：PDF 文件已损坏，无法打开", section.Find("[data-testid=file-problem]").TextContent));
        Assert.DoesNotContain("damaged", section.Markup);
        Assert.Equal("Failed", section.Find("[data-testid=upload]").GetAttribute("data-state"));
        Assert.Equal(0, changes);
    }

    [Fact]
    public void A_file_over_20_MB_is_refused_before_anything_is_sent()
    {
        var section = Section(editable: true);
        section.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[FileOwner.MaxBytes + 1], "扫描件.pdf", contentType: "application/pdf"));

        section.WaitForAssertion(() => Assert.Contains("超过 20 MB", section.Find("[data-testid=file-problem]").TextContent));
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public void A_listing_offers_its_own_kinds_and_an_application_its_own()
    {
        var listing = Render<FileSection>(p => p.Add(s => s.Owner, FileOwner.Listing(Guid.NewGuid())).Add(s => s.Editable, true));
        Assert.Equal(["专利证书", "宣传册", "照片"], listing.FindAll("[data-testid=file-kind] option").Select(o => o.TextContent));
        var contract = Section(editable: true);
        Assert.Equal(["合同文本", "附件"], contract.FindAll("[data-testid=file-kind] option").Select(o => o.TextContent));
    }
}
