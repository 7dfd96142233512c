"""nwipe logs for many laptops, made from the real ShredOS log in tests/fixtures/nwipe/.

The fixture is a two-drive run (a 320 GB SATA disk and a 256 GB NVMe). `one_drive_log` writes the log the
same ShredOS would have written had the laptop held only the NVMe drive: the SATA disk's lines are gone,
nwipe enumerates one device, and the run ends when the NVMe drive finishes (13:56:09), so the summary
tables, the Drive Status duration (nwipe counts it from the start of the run) and the closing lines move
with it. The laptop's own identity (DMI system, chassis and baseboard serials, system UUID) and the
drive's serial are substituted, keeping their shapes.
"""

from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "nwipe" / "shredos-dell-vostro-5581.log"
SYSTEM_SERIAL, NVME_SERIAL, SDA_SERIAL = "3FBJ6P2", "NS8BN06381120BD03", "WD-WXC1A14S2591"
UUID = "4c4c4544-0046-4210-804a-b3c04f365032"


def laptop_serials(n: int) -> tuple[str, str]:
    """(a Dell-style 7-character service tag, an SK hynix-style 17-character NVMe serial) for laptop n."""
    return f"V5{n:05d}", f"NS8BN0638{n:04d}BD03"


def one_drive_log(*, system_serial: str, drive_serial: str, n: int = 0) -> bytes:
    assert len(system_serial) == len(SYSTEM_SERIAL) and len(drive_serial) <= 20  # the table shows it whole
    kept = []
    for line in FIXTURE.read_text().split("\n"):
        if "sda" in line or SDA_SERIAL in line:
            continue  # every line about the SATA disk, including its rows of both summary tables
        kept.append(line)
    text = "\n".join(kept)
    text = text.replace("Automatically enumerated 2 devices.", "Automatically enumerated 1 devices.")
    # The run now ends with the NVMe drive: tables stamped 3 s after its last line, as nwipe does.
    text = text.replace("[2023/01/24 15:48:44]", "[2023/01/24 13:56:12]")
    text = text.replace("| 414 MB/s | 02:20:37 |", "| 414 MB/s | 00:20:37 |")
    text = text.replace("Total Throughput 494 MB/s", "Total Throughput 414 MB/s")
    text = text.replace(SYSTEM_SERIAL, system_serial).replace(NVME_SERIAL, drive_serial)
    return text.replace(UUID, f"{UUID[:-4]}{n:04x}").encode()
