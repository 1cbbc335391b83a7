using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

[DbContext(typeof(AppDbContext))]
[Migration("20261201000010_Revocations")]
public sealed class Revocations : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("revocations", t => new
        {
            id = t.Column<string>(nullable: false),
            jti = t.Column<string>(nullable: true),
            user_id = t.Column<string>(nullable: true),
            revoked_at = t.Column<long>(nullable: false),
            expires_at = t.Column<long>(nullable: false),
            revoked_by = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_revocations", x => x.id));
        b.CreateIndex("ix_revocations_expires_at", "revocations", "expires_at");
    }

    protected override void Down(MigrationBuilder b) => b.DropTable("revocations");
}
