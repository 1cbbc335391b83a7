namespace SupportTicket.Discord.Models;

public sealed record Embed
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public int? Color { get; init; }
    public string? Timestamp { get; init; }
    public EmbedFooter? Footer { get; init; }
    public EmbedAuthor? Author { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }
}

public sealed record EmbedFooter(string Text);

public sealed record EmbedAuthor(string Name, string? Url = null);

public sealed record EmbedField(string Name, string Value, bool? Inline = null);

public sealed record MessageComponent
{
    public int Type { get; init; }
    /// <summary>A text input's text: the default shown in the modal, the member's text when it is submitted.</summary>
    public string? Value { get; init; }
    public bool? Required { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public int? Style { get; init; }
    public string? Label { get; init; }
    public string? CustomId { get; init; }
    public string? Url { get; init; }
    public bool? Disabled { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }

    public static MessageComponent Row(params MessageComponent[] children) => new() { Type = 1, Components = children };

    public static MessageComponent Button(string label, string customId, int style = ButtonStyles.Danger) =>
        new() { Type = 2, Style = style, Label = label, CustomId = customId };

    /// <summary>Style 1 is one line, 2 a paragraph.</summary>
    public static MessageComponent TextInput(string label, string customId, int style, string? value, int maxLength, bool required = true) =>
        new() { Type = 4, Style = style, Label = label, CustomId = customId, Value = value, MaxLength = maxLength, Required = required };
}

public static class ButtonStyles
{
    public const int Primary = 1;
    public const int Secondary = 2;
    public const int Success = 3;
    public const int Danger = 4;
}
