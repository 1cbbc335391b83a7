using SupportTicket.Server.CannedResponses;

namespace SupportTicket.Server.Tests.CannedResponses;

public sealed class CannedTemplateTests
{
    [Fact]
    public void Placeholders_are_filled_as_plain_text_without_html_encoding_or_template_injection()
    {
        var text = CannedTemplates.Render("Hi {{customer_name}}, I am {{ agent_name }} (#{{ticket_number}}).", "<Bob & {{agent_name}}>", "Ann", 42);
        Assert.Equal("Hi <Bob & {{agent_name}}>, I am Ann (#42).", text);
    }

    [Fact]
    public void Only_the_three_placeholders_pass()
    {
        Assert.Null(CannedTemplates.Check("plain text, no placeholders"));
        Assert.Null(CannedTemplates.Check("{{customer_name}}{{agent_name}}{{ticket_number}}"));
        Assert.Equal("placeholder", CannedTemplates.Check("{{ ticket.secret }}")!.Type);
        Assert.Equal("template", CannedTemplates.Check("{%- assign x = 1 -%}")!.Type);
    }
}
