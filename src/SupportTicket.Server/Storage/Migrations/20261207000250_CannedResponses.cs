using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>Canned replies for agents (issue #28, item 6); the name is what agents type, so it is unique.</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000250_CannedResponses")]
public sealed class CannedResponses : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("canned_responses", t => new
        {
            id = t.Column<string>(nullable: false),
            name = t.Column<string>(nullable: false),
            body = t.Column<string>(nullable: false),
            level = t.Column<string>(nullable: true),
            created_at = t.Column<long>(nullable: false),
            updated_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_canned_responses", x => x.id));
        b.CreateIndex("ix_canned_responses_name", "canned_responses", "name", unique: true);
    }

    protected override void Down(MigrationBuilder b) => b.DropTable("canned_responses");
}
