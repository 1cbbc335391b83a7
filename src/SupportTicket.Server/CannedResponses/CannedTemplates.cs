using System.Text.RegularExpressions;
using Fluid;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.CannedResponses;

/// <summary>
/// Canned bodies are Fluid templates restricted to plain output of the three placeholders: no tags, no filters, no
/// other names. Checked when saved, so sending one can never fail or reach anything but these values.
/// </summary>
public static partial class CannedTemplates
{
    public static readonly string[] Placeholders = ["customer_name", "agent_name", "ticket_number"];
    private static readonly FluidParser Parser = new();

    [GeneratedRegex(@"\{\{(?<inner>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Output();

    /// <summary>The field error for a body that is not such a template, or null.</summary>
    public static FieldError? Check(string body)
    {
        if (body.Contains("{%", StringComparison.Ordinal))
            return new("body", "Template tags ({% ... %}) are not allowed; use only " + Allowed, "template");
        foreach (Match m in Output().Matches(body))
        {
            var name = m.Groups["inner"].Value.Trim();
            if (!Placeholders.Contains(name))
                return new("body", $"Unknown placeholder {{{{{name}}}}}; allowed: {Allowed}", "placeholder", new { placeholder = name, allowed = Placeholders });
        }
        if (Output().Replace(body, "").Contains("{{", StringComparison.Ordinal) || !Parser.TryParse(body, out _, out _))
            return new("body", "The body is not a valid template: close every {{ with }}", "template");
        return null;
    }

    public static string Render(string body, string customerName, string agentName, long ticketNumber)
    {
        // Checked when saved; a row written around the API is sent as it is rather than failing the reply.
        if (Check(body) is not null || !Parser.TryParse(body, out var template, out _)) return body;
        var context = new TemplateContext();
        context.SetValue("customer_name", customerName);
        context.SetValue("agent_name", agentName);
        context.SetValue("ticket_number", ticketNumber);
        return template.Render(context, NullEncoder.Default);
    }

    private static string Allowed => string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"));
}
