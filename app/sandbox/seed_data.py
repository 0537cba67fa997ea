"""Realistic Vietnamese material for the seed: public services, people, places, documents."""

from __future__ import annotations

from dataclasses import dataclass

AGENCY_CODE = "000.00.20.H09"
# iGate ids are 24-hex ObjectIds; these are the sandbox province's own.
PROVINCE_AGENCY = {"id": "6541a2c0e4b0a1d2c3f40001", "code": "000.00.00.H09", "name": "UBND tỉnh Bình Định"}
AGENCY_ID = "6541a2c0e4b0a1d2c3f40010"
UNIT_IDS = {
    "Phòng Bưu chính, Viễn thông": "6541a2c0e4b0a1d2c3f40011",
    "Ban Giám đốc": "6541a2c0e4b0a1d2c3f40012",
    "Văn phòng Sở": "6541a2c0e4b0a1d2c3f40013",
    "Bộ phận Một cửa": "6541a2c0e4b0a1d2c3f40014",
}
AGENCY_NAME_EN = "Department of Information and Communications of Binh Dinh Province"
EFORM_ID = "6541a2c0e4b0a1d2c3f40020"
CASE_ID = "6541a2c0e4b0a1d2c3f40021"
APPLY_METHOD = {"id": "6541a2c0e4b0a1d2c3f40022", "name": "Trực tuyến"}
# The dossierFormFile entry that holds result files (how real iGate attaches results is unknown).
RESULT_FORM = {"id": "5f9a0c3e1d2b4c5a6e7f8091", "name": "Kết quả giải quyết hồ sơ"}


@dataclass(frozen=True)
class Stage:
    """A processing stage as iGate shows it: the two status axes, the current BPM task and its flags."""

    status_id: int
    status_name: str
    task_status_id: str
    task_status_name: str
    task_status_name_en: str
    step_id: str
    step_name: str
    variable: tuple[tuple[str, bool], ...]


PROCESSING, WAITING, RETURNED = 2, 3, 4
STAGES = {
    PROCESSING: Stage(
        PROCESSING, "Đang xử lý", "6541a2c0e4b0a1d2c3f40031", "Đang xử lý", "Processing",
        "6541a2c0e4b0a1d2c3f40041", "Chuyên viên thụ lý hồ sơ",
        (("processComments", True), ("canUploadResult", True), ("mustAttachResultsFile", True),
         ("canConnectedIOffice", True), ("canUseDigitalSign", True), ("canChoiceNextStep", True))),
    WAITING: Stage(
        WAITING, "Chờ trả kết quả", "6541a2c0e4b0a1d2c3f40032", "Chờ trả kết quả", "Waiting to return result",
        "6541a2c0e4b0a1d2c3f40042", "Một cửa trả kết quả",
        (("canUploadResult", True), ("canPrintReceiptTicket", True), ("mustSendSMSToApplicant", True),
         ("canConnectedIOffice", False))),
    RETURNED: Stage(
        RETURNED, "Đã trả kết quả", "6541a2c0e4b0a1d2c3f40033", "Đã trả kết quả", "Result returned", "", "", ()),
}


@dataclass(frozen=True)
class Procedure:
    id: str
    code: str
    name: str
    components: tuple[str, ...]
    result_title: str
    days: int


PROCEDURES: tuple[Procedure, ...] = (
    Procedure(
        "6541a2c0e4b0a1d2c3f40101",
        "1.009994",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        ("Đơn đề nghị cấp giấy phép xây dựng", "Bản sao giấy chứng nhận quyền sử dụng đất", "Bản vẽ thiết kế xây dựng"),
        "Giấy phép xây dựng",
        15,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40102",
        "2.000720",
        "Đăng ký hộ kinh doanh",
        ("Giấy đề nghị đăng ký hộ kinh doanh", "Bản sao giấy tờ pháp lý của cá nhân"),
        "Giấy chứng nhận đăng ký hộ kinh doanh",
        3,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40103",
        "1.003725",
        "Cấp phép hoạt động in",
        (
            "Đơn đề nghị cấp giấy phép hoạt động in",
            "Danh sách thiết bị in",
            "Bản sao giấy tờ chứng minh quyền sử dụng mặt bằng",
        ),
        "Giấy phép hoạt động in",
        7,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40104",
        "1.004426",
        "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
        ("Đơn đề nghị cấp giấy phép", "Đề án hoạt động trang thông tin điện tử"),
        "Giấy phép thiết lập trang thông tin điện tử tổng hợp",
        10,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40105",
        "1.003801",
        "Cấp giấy phép xuất bản bản tin",
        ("Đơn đề nghị cấp giấy phép xuất bản bản tin", "Mẫu trình bày măng-sét bản tin"),
        "Giấy phép xuất bản bản tin",
        10,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40106",
        "1.005432",
        "Cấp giấy phép tổ chức triển lãm",
        ("Văn bản đề nghị cấp giấy phép tổ chức triển lãm", "Danh mục tác phẩm, tài liệu triển lãm"),
        "Giấy phép tổ chức triển lãm",
        7,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40107",
        "1.008887",
        "Đăng ký sử dụng máy photocopy màu",
        ("Tờ khai đăng ký sử dụng máy photocopy màu",),
        "Giấy xác nhận đăng ký",
        3,
    ),
    Procedure(
        "6541a2c0e4b0a1d2c3f40108",
        "2.001880",
        "Cấp giấy phép hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        ("Đơn đề nghị cấp giấy phép", "Bản sao giấy chứng nhận đăng ký hộ kinh doanh"),
        "Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        5,
    ),
)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE_M = ("Văn", "Minh", "Quốc", "Đức", "Hữu", "Thanh", "Công")
MIDDLE_F = ("Thị", "Thị Thu", "Ngọc", "Thị Kim", "Thanh", "Thị Mỹ")
GIVEN_M = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khoa",
    "Long",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Trung",
    "Vinh",
)
GIVEN_F = (
    "Anh",
    "Bích",
    "Châu",
    "Diễm",
    "Hằng",
    "Hương",
    "Lan",
    "Linh",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Vy",
    "Yến",
)
COMPANIES = (
    "Công ty TNHH In Quy Nhơn",
    "Công ty Cổ phần Truyền thông Bình Định",
    "Công ty TNHH Thương mại Hoài Nhơn",
    "Hợp tác xã Dịch vụ An Nhơn",
    "Công ty TNHH Quảng cáo Phù Cát",
)
STREETS = (
    "Trần Hưng Đạo",
    "Lê Lợi",
    "Nguyễn Huệ",
    "Phan Bội Châu",
    "Ngô Mây",
    "Tây Sơn",
    "Hùng Vương",
    "Nguyễn Thái Học",
    "Lê Hồng Phong",
    "Đống Đa",
)
WARDS = (
    "phường Lê Lợi, thành phố Quy Nhơn",
    "phường Quang Trung, thành phố Quy Nhơn",
    "phường Nhơn Bình, thành phố Quy Nhơn",
    "thị xã An Nhơn",
    "thị xã Hoài Nhơn",
    "huyện Tuy Phước",
    "huyện Phù Cát",
    "huyện Tây Sơn",
    "huyện Vân Canh",
)

# Officers known only to iGate (no demo SSO account), so "assignee=me" has something to exclude.
OTHER_OFFICERS = (("6541a2c0e4b0a1d2c3f40051", "Trần Minh Đức"), ("6541a2c0e4b0a1d2c3f40052", "Võ Thị Lan"))

APPLICATION_PARAGRAPHS = (
    "Kính gửi: Sở Thông tin và Truyền thông tỉnh Bình Định.",
    "Căn cứ quy định của pháp luật hiện hành, tôi/đơn vị chúng tôi đề nghị cơ quan có thẩm quyền "
    "xem xét, giải quyết thủ tục hành chính theo hồ sơ gửi kèm. Các thông tin kê khai trong hồ sơ là "
    "đúng sự thật; chúng tôi xin chịu trách nhiệm trước pháp luật về nội dung đã kê khai.",
    "Hồ sơ gồm các thành phần theo quy định của thủ tục hành chính, được nộp trực tuyến qua "
    "Cổng dịch vụ công của tỉnh và được Bộ phận Một cửa tiếp nhận.",
    "Đề nghị Sở Thông tin và Truyền thông xem xét, giải quyết theo quy định.",
)

RESULT_PARAGRAPHS = (
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Thông tin "
    "và Truyền thông tỉnh Bình Định;",
    "Xét hồ sơ đề nghị của tổ chức, cá nhân và đề nghị của Trưởng phòng Bưu chính, Viễn thông, "
    "Sở Thông tin và Truyền thông quyết định cấp phép theo nội dung dưới đây.",
    "Điều 1. Cấp phép cho tổ chức, cá nhân có tên trong hồ sơ được thực hiện hoạt động theo đúng "
    "nội dung đã đăng ký và các quy định của pháp luật có liên quan.",
    "Điều 2. Tổ chức, cá nhân được cấp phép có trách nhiệm thực hiện đúng các quy định tại giấy "
    "phép này; định kỳ báo cáo tình hình hoạt động cho cơ quan cấp phép.",
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Bưu chính, "
    "Viễn thông và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
)

PLAN_PARAGRAPHS = (
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Triển khai đồng bộ, hiệu quả các nhiệm vụ chuyển đổi số trong giải quyết thủ tục hành chính; "
    "nâng cao tỷ lệ hồ sơ được xử lý trực tuyến toàn trình và liên thông giữa hệ thống một cửa "
    "điện tử iGate và hệ thống văn phòng điện tử iDesk.",
    "Bảo đảm 100% văn bản đi được ký số theo quy định tại Nghị định số 30/2020/NĐ-CP; kết quả giải "
    "quyết thủ tục hành chính được trả cho người dân bằng bản điện tử có giá trị pháp lý.",
    "II. NỘI DUNG THỰC HIỆN",
    "1. Rà soát, cập nhật danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Sở; cấu hình "
    "quy trình điện tử trên hệ thống một cửa điện tử của tỉnh.",
    "2. Tổ chức tập huấn cho cán bộ, công chức về ký số bằng chứng thư số chuyên dùng và sử dụng "
    "chức năng liên thông iGate - iDesk.",
    "3. Theo dõi, đôn đốc việc giải quyết hồ sơ đúng hạn; báo cáo kết quả định kỳ hằng tháng.",
    "III. TỔ CHỨC THỰC HIỆN",
    "Các phòng, đơn vị thuộc Sở căn cứ Kế hoạch này triển khai thực hiện; trong quá trình thực hiện "
    "nếu có khó khăn, vướng mắc, báo cáo Giám đốc Sở (qua Văn phòng Sở) để xem xét, chỉ đạo.",
)

LETTER_PARAGRAPHS = (
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về đẩy mạnh cải cách hành chính và chuyển đổi số, "
    "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện một số "
    "nội dung sau:",
    "1. Cử cán bộ đầu mối phụ trách việc tiếp nhận, xử lý hồ sơ trực tuyến; cập nhật thông tin liên "
    "hệ về Sở trước ngày 30 hằng tháng.",
    "2. Kiểm tra, liên kết tài khoản SSO với tài khoản iGate của cán bộ, công chức để bảo đảm việc "
    "đăng nhập một lần và liên thông dữ liệu được thông suốt.",
    "Sở Thông tin và Truyền thông trân trọng đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện.",
)
