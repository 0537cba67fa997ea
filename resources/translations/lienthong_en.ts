<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>BatchSignDialog</name>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="38"/>
        <source>Ký số hàng loạt</source>
        <translation>Batch signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="47"/>
        <source>Gắn nhãn thời gian (TSA)</source>
        <translation>Timestamp (TSA)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="52"/>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="52"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="68"/>
        <source>Ký các tệp đã chọn</source>
        <translation>Sign the ticked files</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="70"/>
        <source>Hủy ký</source>
        <translation>Cancel signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="72"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="74"/>
        <source>Chứng thư số</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="75"/>
        <source>Kiểu chữ ký</source>
        <translation>Signature type</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="158"/>
        <source>Đang tìm vị trí chữ ký…</source>
        <translation>Finding where the signatures go…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="177"/>
        <source>Đã ký (PAdES %1)</source>
        <translation>Signed (PAdES %1)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="184"/>
        <source>Đã ký %1/%2 tệp.</source>
        <translation>Signed %1 of %2 files.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="199"/>
        <source>Đã ký; chưa gửi được lên iDesk (sẽ gửi lại sau): %1</source>
        <translation>Signed; not yet sent to iDesk (it will be sent later): %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/batch_dialog.py" line="201"/>
        <source>Đã ký và gửi lên iDesk (PAdES %1)</source>
        <translation>Signed and sent to iDesk (PAdES %1)</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../app/views/crash_dialog.py" line="38"/>
        <source>Lỗi không mong muốn</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../app/views/crash_dialog.py" line="44"/>
        <source>Đã xảy ra lỗi không mong muốn. Công việc đã lưu không bị ảnh hưởng. Bạn có thể sao chép chi tiết để gửi cho bộ phận hỗ trợ; ứng dụng không tự gửi đi đâu cả.</source>
        <translation>An unexpected error occurred. Work already saved is not affected. You can copy the details to send to support; the app never sends anything by itself.</translation>
    </message>
    <message>
        <location filename="../../app/views/crash_dialog.py" line="59"/>
        <location filename="../../app/views/crash_dialog.py" line="78"/>
        <source>Xem chi tiết</source>
        <translation>Show details</translation>
    </message>
    <message>
        <location filename="../../app/views/crash_dialog.py" line="62"/>
        <source>Sao chép chi tiết</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location filename="../../app/views/crash_dialog.py" line="65"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/crash_dialog.py" line="78"/>
        <source>Ẩn chi tiết</source>
        <translation>Hide details</translation>
    </message>
</context>
<context>
    <name>DetailPanes</name>
    <message>
        <location filename="../../app/views/detail_panes.py" line="43"/>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="44"/>
        <source>Lưu về máy…</source>
        <translation>Save a copy…</translation>
    </message>
</context>
<context>
    <name>DetailStack</name>
    <message>
        <location filename="../../app/views/details.py" line="31"/>
        <source>Chọn một hồ sơ hoặc văn bản để xem chi tiết.</source>
        <translation>Select a dossier or a document to see its details.</translation>
    </message>
</context>
<context>
    <name>DocumentDetail</name>
    <message>
        <location filename="../../app/views/detail_panes.py" line="127"/>
        <source>Trích yếu:</source>
        <translation>Summary:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="128"/>
        <source>Hình thức:</source>
        <translation>Form:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="129"/>
        <source>Mã hồ sơ:</source>
        <translation>Dossier code:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="130"/>
        <source>Trạng thái:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="131"/>
        <source>Số, ký hiệu:</source>
        <translation>Number and symbol:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="134"/>
        <source>Tệp đính kèm / phiên bản</source>
        <translation>Attachment / version</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="134"/>
        <source>Người tạo</source>
        <translation>Created by</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="134"/>
        <location filename="../../app/views/detail_panes.py" line="141"/>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="141"/>
        <source>Người xử lý</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="141"/>
        <source>Thao tác</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="141"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="146"/>
        <source>Lịch sử xử lý</source>
        <translation>Processing history</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="165"/>
        <source>Phiên bản {n}</source>
        <translation>Version {n}</translation>
    </message>
</context>
<context>
    <name>DossierDetail</name>
    <message>
        <location filename="../../app/views/detail_panes.py" line="1"/>
        <source>Trạng thái:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="68"/>
        <source>Mã hồ sơ:</source>
        <translation>Dossier code:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="69"/>
        <source>Thủ tục:</source>
        <translation>Procedure:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="70"/>
        <source>Người nộp:</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="71"/>
        <source>Bước xử lý:</source>
        <translation>Step:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="72"/>
        <source>Hẹn trả:</source>
        <translation>Due:</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="75"/>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="75"/>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="79"/>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier components</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="80"/>
        <source>Tệp đính kèm ở các bước trước</source>
        <translation>Files attached at earlier steps</translation>
    </message>
    <message>
        <location filename="../../app/views/detail_panes.py" line="81"/>
        <source>Tập tin kết quả</source>
        <translation>Result files</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../app/views/error_dialog.py" line="28"/>
        <source>Không thực hiện được</source>
        <translation>Could not complete</translation>
    </message>
    <message>
        <location filename="../../app/views/error_dialog.py" line="46"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/error_dialog.py" line="47"/>
        <source>Chi tiết kỹ thuật</source>
        <translation>Technical details</translation>
    </message>
</context>
<context>
    <name>FetchDialog</name>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="44"/>
        <source>Lấy từ iDesk</source>
        <translation>Fetch from iDesk</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="54"/>
        <source>Tệp kết quả trên iDesk của hồ sơ {code} — {service}</source>
        <translation>Result files in iDesk for dossier {code} — {service}</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="62"/>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="62"/>
        <source>Văn bản iDesk</source>
        <translation>iDesk document</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="62"/>
        <source>Phiên bản</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="62"/>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="67"/>
        <source>Đang tìm tệp kết quả theo mã hồ sơ…</source>
        <translation>Looking for result files by dossier code…</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="68"/>
        <source>Thực hiện</source>
        <translation>Fetch</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="72"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="108"/>
        <source>Tệp này đã có trong “Tập tin kết quả”.</source>
        <translation>This file is already in the result files.</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="110"/>
        <source>Chọn tệp để xem trước; đánh dấu các tệp cần lấy rồi bấm “Thực hiện”.</source>
        <translation>Select a file to preview it; tick the files to fetch, then press “Fetch”.</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="112"/>
        <source>iDesk chưa có tệp kết quả nào cho hồ sơ này.</source>
        <translation>iDesk has no result file for this dossier yet.</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="146"/>
        <source>Đang lấy tệp từ iDesk…</source>
        <translation>Fetching files from iDesk…</translation>
    </message>
    <message>
        <location filename="../../app/views/fetch_dialog.py" line="167"/>
        <source>Đã hủy.</source>
        <translation>Cancelled.</translation>
    </message>
</context>
<context>
    <name>GuiApp</name>
    <message>
        <location filename="../../app/views/app.py" line="179"/>
        <source>Đã đăng nhập lại.</source>
        <translation>Signed in again.</translation>
    </message>
</context>
<context>
    <name>ListPanel</name>
    <message>
        <location filename="../../app/views/list_panel.py" line="146"/>
        <source>{shown} / {total} dòng</source>
        <translation>{shown} / {total} rows</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../app/views/login_window.py" line="40"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="44"/>
        <source>Liên Thông Desk</source>
        <translation>Liên Thông Desk</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="49"/>
        <source>Liên thông hồ sơ Một cửa điện tử iGate và Văn phòng điện tử iDesk, ký số bằng USB token hoặc ký số từ xa</source>
        <translation>Dossiers between the iGate one-stop shop and the iDesk e-office, signed with your USB token or by remote signing</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="56"/>
        <source>Tệp cấu hình máy chủ (TOML)…</source>
        <translation>Server profile file (TOML)…</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="66"/>
        <source>Đăng nhập qua SSO</source>
        <translation>Sign in through SSO</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="75"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="78"/>
        <source>Mở lại trang đăng nhập</source>
        <translation>Open the sign-in page again</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="80"/>
        <source>Mở lại trang đăng nhập SSO trong trình duyệt</source>
        <translation>Open the SSO sign-in page in the browser again</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="93"/>
        <source>Máy chủ:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="120"/>
        <source>Phiên bản {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="139"/>
        <source>Máy chủ tập huấn (dữ liệu mẫu)</source>
        <translation>Training server (sample data)</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="148"/>
        <source>SSO: {issuer}</source>
        <translation>SSO: {issuer}</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="156"/>
        <source>Chọn tệp cấu hình máy chủ</source>
        <translation>Choose a server profile file</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="156"/>
        <source>Tệp cấu hình (*.toml)</source>
        <translation>Profile files (*.toml)</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="195"/>
        <source>Đang kiểm tra phiên đăng nhập đã lưu…</source>
        <translation>Checking the saved session…</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="201"/>
        <source>Đang chờ bạn đăng nhập trong trình duyệt. Đăng nhập xong, hãy quay lại cửa sổ này.</source>
        <translation>Waiting for you to sign in in the browser. When you are done, come back to this window.</translation>
    </message>
    <message>
        <location filename="../../app/views/login_window.py" line="223"/>
        <source>Đã hủy đăng nhập.</source>
        <translation>Sign-in cancelled.</translation>
    </message>
</context>
<context>
    <name>MainActions</name>
    <message>
        <location filename="../../app/views/main_actions.py" line="37"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="38"/>
        <source>Tìm kiếm</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="39"/>
        <source>Gửi sang iDesk</source>
        <translation>Send to iDesk</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="40"/>
        <source>Lấy từ iDesk</source>
        <translation>Fetch from iDesk</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="42"/>
        <source>Chuyển đến phần mềm iGate</source>
        <translation>Transfer to iGate</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="44"/>
        <source>Mở tệp PDF trên máy…</source>
        <translation>Open a PDF on this computer…</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="45"/>
        <source>Cài đặt…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="46"/>
        <source>Đăng xuất</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="47"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="50"/>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="54"/>
        <source>&amp;Hồ sơ</source>
        <translation>&amp;Dossier</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="56"/>
        <source>&amp;Văn bản</source>
        <translation>D&amp;ocument</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="60"/>
        <source>Thao tác</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="90"/>
        <source>Chọn một hồ sơ trước.</source>
        <translation>Select a dossier first.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="92"/>
        <source>Bước hiện tại của hồ sơ không cho phép gửi sang iDesk.</source>
        <translation>The dossier’s current step does not allow sending it to iDesk.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="95"/>
        <source>Bước hiện tại của hồ sơ không cho phép đính kèm kết quả.</source>
        <translation>The dossier’s current step does not allow attaching results.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="98"/>
        <source>Gửi hồ sơ đang chọn sang iDesk thành dự thảo văn bản (Ctrl+Shift+S)</source>
        <translation>Send the selected dossier to iDesk as a draft document (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="99"/>
        <source>Lấy tệp kết quả từ iDesk vào hồ sơ (Ctrl+L)</source>
        <translation>Fetch result files from iDesk into the dossier (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="102"/>
        <source>Chọn một văn bản iDesk trước.</source>
        <translation>Select an iDesk document first.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="104"/>
        <source>Văn bản này không gắn với hồ sơ iGate nào.</source>
        <translation>This document is not linked to any iGate dossier.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="107"/>
        <source>Chuyển tệp của văn bản sang hồ sơ iGate cùng mã (Ctrl+Shift+G)</source>
        <translation>Transfer the document&apos;s files to the iGate dossier with the same code (Ctrl+Shift+G)</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="141"/>
        <source>Đã tạo dự thảo trên iDesk: {summary}</source>
        <translation>Draft created in iDesk: {summary}</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="158"/>
        <source>Đã lấy tệp kết quả từ iDesk vào hồ sơ {code}.</source>
        <translation>Result files fetched from iDesk into dossier {code}.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="179"/>
        <source>Đã chuyển tệp sang hồ sơ {code} trên iGate.</source>
        <translation>Files transferred to dossier {code} in iGate.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="196"/>
        <source>Mở tệp PDF</source>
        <translation>Open a PDF file</translation>
    </message>
    <message>
        <location filename="../../app/views/main_actions.py" line="196"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/views/main_window.py" line="1"/>
        <source>Gửi được sang iDesk</source>
        <translation>Can be sent to iDesk</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="1"/>
        <source>Nhận được kết quả</source>
        <translation>Can take results</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="1"/>
        <source>Đã xong</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Không mở tệp này</source>
        <translation>This file is not opened</translation>
    </message>
    <message>
        <source>Ứng dụng không mở tệp “%1”: loại tệp “%2” có thể chứa chương trình và tự chạy khi mở.</source>
        <translation>The app does not open the file “%1”: a “%2” file can hold a program that runs when it is opened.</translation>
    </message>
    <message>
        <source>Tệp do người khác gửi lên hệ thống. Nếu cần xem, hãy lưu về máy và kiểm tra bằng phần mềm diệt virus trước khi mở.</source>
        <translation>Someone else uploaded this file. To look at it, save a copy and check it with an antivirus program before opening it.</translation>
    </message>
    <message>
        <source>Lưu về máy…</source>
        <translation>Save a copy…</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="86"/>
        <source>Hồ sơ iGate</source>
        <translation>iGate dossiers</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="88"/>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="89"/>
        <source>Tìm mã hồ sơ, thủ tục, người nộp… (Ctrl+F)</source>
        <translation>Search code, procedure, applicant… (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="94"/>
        <source>Dự thảo</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="95"/>
        <source>Xử lý văn bản đi</source>
        <translation>Outgoing: processing</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="96"/>
        <source>Theo dõi văn bản đi</source>
        <translation>Outgoing: tracking</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="97"/>
        <source>Văn bản lưu</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="100"/>
        <source>Văn bản iDesk</source>
        <translation>iDesk documents</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="102"/>
        <source>Tất cả thư mục</source>
        <translation>All folders</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="103"/>
        <source>Tìm trích yếu, mã hồ sơ…</source>
        <translation>Search summary, dossier code…</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="115"/>
        <source>Chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="118"/>
        <source>Nhấp đúp vào một tệp để xem trước.</source>
        <translation>Double-click a file to preview it.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="145"/>
        <source>Đang làm việc với máy chủ…</source>
        <translation>Working with the server…</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="157"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="160"/>
        <source>Đã tải {n}/{total}</source>
        <translation>Loaded {n}/{total}</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="224"/>
        <source>Lưu tệp</source>
        <translation>Save the file</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="230"/>
        <source>Đã lưu {path}</source>
        <translation>Saved {path}</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="243"/>
        <source>Đã tải {d} hồ sơ và {v} văn bản.</source>
        <translation>Loaded {d} dossiers and {v} documents.</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="250"/>
        <source>Không tải được danh sách.</source>
        <translation>The list could not be loaded.</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <location filename="../../app/views/models.py" line="232"/>
        <location filename="../../app/views/models.py" line="289"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="233"/>
        <source>Thủ tục / dịch vụ công</source>
        <translation>Procedure / public service</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="234"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="236"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="241"/>
        <source>Bước xử lý</source>
        <translation>Step</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="271"/>
        <source>Đã quá hạn trả kết quả</source>
        <translation>The result is overdue</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="287"/>
        <source>Trích yếu</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="288"/>
        <source>Hình thức</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="290"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/views/models.py" line="291"/>
        <source>Thư mục</source>
        <translation>Folder</translation>
    </message>
</context>
<context>
    <name>PageCanvas</name>
    <message>
        <location filename="../../app/views/pdf/canvas.py" line="210"/>
        <source>Không hiển thị được trang này</source>
        <translation>This page cannot be displayed</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="68"/>
        <source>Trang thu nhỏ</source>
        <translation>Thumbnails</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="74"/>
        <source>Số trang</source>
        <translation>Page number</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="78"/>
        <source>Thu nhỏ (Ctrl -)</source>
        <translation>Zoom out (Ctrl -)</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="81"/>
        <source>Phóng to (Ctrl +)</source>
        <translation>Zoom in (Ctrl +)</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="85"/>
        <source>Vừa chiều rộng</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="86"/>
        <source>Vừa trang</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="89"/>
        <source>Trang</source>
        <translation>Page</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="97"/>
        <source>Tệp PDF được bảo vệ bằng mật khẩu. Nhập mật khẩu để mở:</source>
        <translation>The PDF is password-protected. Enter the password to open it:</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/preview.py" line="100"/>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
</context>
<context>
    <name>PendingDialog</name>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="29"/>
        <source>Lượt chuyển chưa hoàn tất</source>
        <translation>Unfinished transfers</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="31"/>
        <source>Lần trước có lượt chuyển dữ liệu chưa xong. Bạn có thể làm tiếp; phần đã chuyển sẽ không bị gửi lại.</source>
        <translation>A transfer did not finish last time. You can resume it; what was already transferred is not sent again.</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="37"/>
        <source>Thao tác</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="37"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="37"/>
        <source>Tệp đã xong</source>
        <translation>Files done</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="37"/>
        <source>Bắt đầu</source>
        <translation>Started</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="51"/>
        <source>Làm tiếp</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="54"/>
        <source>Bỏ lượt này</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../app/views/pending_dialog.py" line="56"/>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../app/views/signing/pin.py" line="31"/>
        <source>Nhập mã PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="35"/>
        <source>Token: %1</source>
        <translation>Token: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="36"/>
        <source>Chứng thư số: %1</source>
        <translation>Certificate: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="45"/>
        <source>Lần thử cuối cùng: nhập sai một lần nữa token sẽ bị khóa.</source>
        <translation>Last try: one more wrong PIN locks the token.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="47"/>
        <source>Còn ít lần thử: token sẽ bị khóa nếu nhập sai thêm.</source>
        <translation>Few tries left: the token locks after more wrong PINs.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="50"/>
        <source>Còn %1 lần thử.</source>
        <translation>%1 tries left.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="55"/>
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="57"/>
        <source>Đồng ý</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="58"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/pin.py" line="64"/>
        <source>Mã PIN:</source>
        <translation>PIN:</translation>
    </message>
</context>
<context>
    <name>PlacementOverlay</name>
    <message>
        <location filename="../../app/views/pdf/placement.py" line="285"/>
        <source>Chữ ký</source>
        <translation>Signature</translation>
    </message>
</context>
<context>
    <name>PlacementPanel</name>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="79"/>
        <source>Chèn chữ ký</source>
        <translation>Place signature</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="82"/>
        <source>Kéo vào trang, hoặc bấm rồi bấm vào trang để đặt chữ ký; kéo để di chuyển, kéo góc dưới phải để đổi kích thước</source>
        <translation>Drag onto a page, or click and then click a page to place the signature; drag to move it, drag the bottom-right corner to resize</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="84"/>
        <source>Thêm chữ ký</source>
        <translation>Add a signature</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="85"/>
        <source>Về vị trí đề xuất</source>
        <translation>Back to the proposed position</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="87"/>
        <source>Hiển thị trên tất cả trang</source>
        <translation>Show on all pages</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="89"/>
        <location filename="../../app/views/pdf/placement_panel.py" line="95"/>
        <source>Danh sách chữ ký</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="90"/>
        <source>Xóa</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../app/views/pdf/placement_panel.py" line="220"/>
        <source>Chữ ký trên trang %1</source>
        <translation>Signature on page %1</translation>
    </message>
</context>
<context>
    <name>PositionDialog</name>
    <message>
        <location filename="../../app/views/signing/position_dialog.py" line="26"/>
        <source>Chọn vị trí trước khi ký số — %1</source>
        <translation>Choose the position before signing — %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/position_dialog.py" line="35"/>
        <source>Lưu vị trí</source>
        <translation>Save position</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/position_dialog.py" line="37"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/position_dialog.py" line="38"/>
        <source>Vị trí được dùng cho các văn bản cùng hình thức &quot;%1&quot;.</source>
        <translation>The position is used for documents of the same form &quot;%1&quot;.</translation>
    </message>
</context>
<context>
    <name>SendDialog</name>
    <message>
        <location filename="../../app/views/send_dialog.py" line="45"/>
        <source>Gửi sang iDesk</source>
        <translation>Send to iDesk</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="60"/>
        <source>Tên dịch vụ công (trích yếu):</source>
        <translation>Public service name (summary):</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="61"/>
        <source>Mã hồ sơ:</source>
        <translation>Dossier code:</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="65"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="65"/>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="67"/>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier components</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="71"/>
        <source>Tệp đính kèm ở các bước xử lý trước</source>
        <translation>Files attached at earlier processing steps</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="75"/>
        <source>Tệp từ máy tính</source>
        <translation>Files from this computer</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="79"/>
        <location filename="../../app/views/send_dialog.py" line="104"/>
        <source>Chọn tệp tin</source>
        <translation>Choose files</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="84"/>
        <source>Đồng ý</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="88"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="94"/>
        <source>Chọn các tệp gửi kèm:</source>
        <translation>Choose the files to send:</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="138"/>
        <source>Hãy nhập trích yếu (tên dịch vụ công) trước khi gửi.</source>
        <translation>Enter the summary (the public service name) before sending.</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="143"/>
        <source>Đang gửi sang iDesk…</source>
        <translation>Sending to iDesk…</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="164"/>
        <source>Đã tạo dự thảo văn bản trên iDesk.</source>
        <translation>The draft document was created in iDesk.</translation>
    </message>
    <message>
        <location filename="../../app/views/send_dialog.py" line="171"/>
        <source>Đã hủy. Phần đã gửi được ghi lại; gửi lại sẽ làm tiếp từ chỗ dừng.</source>
        <translation>Cancelled. What was sent is recorded; sending again continues where it stopped.</translation>
    </message>
    <message>
        <source>Văn bản chính (sẽ được ký, phát hành):</source>
        <translation>Main document (to be signed and released):</translation>
    </message>
    <message>
        <source>Mở dự thảo</source>
        <translation>Open the draft</translation>
    </message>
    <message>
        <source>Thêm tệp vào dự thảo này (không tạo dự thảo mới)</source>
        <translation>Add the files to this draft (no new draft)</translation>
    </message>
    <message>
        <source>— Chọn văn bản chính —</source>
        <translation>— Choose the main document —</translation>
    </message>
    <message>
        <source>Chưa có (soạn sau trên iDesk)</source>
        <translation>None yet (drafted later in iDesk)</translation>
    </message>
    <message>
        <source>Hồ sơ này đã có dự thảo trên iDesk: &quot;%1&quot;. Có thể mở dự thảo đó, hoặc thêm tệp vào nó thay vì tạo dự thảo thứ hai.</source>
        <translation>This dossier already has a draft in iDesk: &quot;%1&quot;. You can open it, or add the files to it instead of creating a second draft.</translation>
    </message>
    <message>
        <source>Hãy chọn ít nhất một tệp để gửi sang iDesk.</source>
        <translation>Tick at least one file to send to iDesk.</translation>
    </message>
    <message>
        <source>Hãy chọn văn bản chính: tệp sẽ được ký và phát hành.</source>
        <translation>Choose the main document: the file that will be signed and released.</translation>
    </message>
    <message>
        <source>Đã gửi tệp vào dự thảo văn bản trên iDesk.</source>
        <translation>The files were sent to the draft in iDesk.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/views/settings_dialog.py" line="27"/>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../app/views/settings_dialog.py" line="39"/>
        <source>Ngôn ngữ giao diện:</source>
        <translation>Interface language:</translation>
    </message>
    <message>
        <location filename="../../app/views/settings_dialog.py" line="40"/>
        <source>Ngôn ngữ mới được áp dụng ngay khi lưu.</source>
        <translation>A new language applies as soon as you save.</translation>
    </message>
    <message>
        <location filename="../../app/views/settings_dialog.py" line="43"/>
        <source>Chung</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../app/views/settings_dialog.py" line="46"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/views/settings_dialog.py" line="47"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="65"/>
        <source>Ký số token — %1</source>
        <translation>Token signing — %1</translation>
    </message>
    <message>
        <source>Ký nháy — %1</source>
        <translation>Initial — %1</translation>
    </message>
    <message>
        <source>Ký số cơ quan (đóng dấu) — %1</source>
        <translation>Sign with the organization&apos;s seal — %1</translation>
    </message>
    <message>
        <source>Ký số phụ lục — %1</source>
        <translation>Sign an appendix — %1</translation>
    </message>
    <message>
        <source>Ký số bản sao điện tử — %1</source>
        <translation>Sign an electronic copy — %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="89"/>
        <source>Hiển thị ảnh chữ ký</source>
        <translation>Show the signature image</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="90"/>
        <source>Ký bởi</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="91"/>
        <source>Thời gian ký</source>
        <translation>Signing time</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="92"/>
        <source>Cơ quan</source>
        <translation>Organization</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="93"/>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="100"/>
        <source>Nội dung chữ ký hiển thị</source>
        <translation>Visible signature content</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="104"/>
        <source>Cỡ chữ</source>
        <translation>Font size</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="171"/>
        <source>Bản sao điện tử</source>
        <translation>Electronic copy</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="179"/>
        <source>Hình thức sao</source>
        <translation>Copy form</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="180"/>
        <source>Cơ quan sao</source>
        <translation>Copying organization</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="186"/>
        <source>Gắn nhãn thời gian (TSA)</source>
        <translation>Timestamp (TSA)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="194"/>
        <source>Máy chủ tập huấn không có dịch vụ TSA: chữ ký không gắn nhãn thời gian.</source>
        <translation>The training server has no TSA: the signature carries no timestamp.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="199"/>
        <source>Địa chỉ TSA</source>
        <translation>TSA address</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="200"/>
        <source>Tài khoản</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="201"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="122"/>
        <source>Áp dụng</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="125"/>
        <source>Hủy ký</source>
        <translation>Cancel signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="128"/>
        <source>Xem bản sửa lại</source>
        <translation>Review a repaired copy</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="206"/>
        <source>%1 (bản sửa lại)</source>
        <translation>%1 (repaired copy)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="127"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="135"/>
        <source>Chứng thư số</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="228"/>
        <source>Đã ký và gửi tệp lên máy chủ.</source>
        <translation>Signed and uploaded to the server.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="230"/>
        <source>Đã ký; chưa gửi được tệp lên máy chủ, tệp được giữ lại để gửi sau: %1</source>
        <translation>Signed; the upload failed, the file is kept to send later: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="297"/>
        <source>Đang chờ nhập mã PIN…</source>
        <translation>Waiting for the PIN…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="315"/>
        <source>Đã ký số (PAdES %1): %2</source>
        <translation>Signed (PAdES %1): %2</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="340"/>
        <source>Đã hủy ký số.</source>
        <translation>Signing cancelled.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="344"/>
        <source>Mật khẩu tệp PDF</source>
        <translation>PDF password</translation>
    </message>
    <message>
        <source>Tệp ký: %1
Số trang: %2 · Mã SHA-256: %3…</source>
        <translation>File to sign: %1
Pages: %2 · SHA-256: %3…</translation>
    </message>
</context>
<context>
    <name>SignatureImagePage</name>
    <message>
        <location filename="../../app/views/signing/images.py" line="82"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="84"/>
        <source>Ảnh chữ ký (PNG nền trong suốt):</source>
        <translation>Signature image (PNG, transparent background):</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="86"/>
        <source>Độ rộng mặc định của chữ ký:</source>
        <translation>Default signature width:</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="87"/>
        <source>Ảnh con dấu (văn thư):</source>
        <translation>Seal image (clerk):</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="90"/>
        <source>Kích thước dấu:</source>
        <translation>Seal size:</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="103"/>
        <source>Chọn ảnh…</source>
        <translation>Choose an image…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="116"/>
        <source>Chọn ảnh</source>
        <translation>Choose an image</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="117"/>
        <source>Ảnh PNG (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/images.py" line="124"/>
        <source>Không đọc được ảnh.</source>
        <translation>The image cannot be read.</translation>
    </message>
</context>
<context>
    <name>SigningActions</name>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="52"/>
        <source>Ký nháy</source>
        <translation>Initial</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="53"/>
        <source>Ký số token</source>
        <translation>Sign with token</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="54"/>
        <source>Chọn vị trí trước khi ký số</source>
        <translation>Choose the position before signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="55"/>
        <source>Chuyển Văn thư</source>
        <translation>Send to the clerk</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="56"/>
        <source>Chỉ điền số KH, ngày tháng năm</source>
        <translation>Only fill in the number and date</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="57"/>
        <source>Ký số cơ quan (đóng dấu)</source>
        <translation>Sign with the organization&apos;s seal</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="58"/>
        <source>Phát hành</source>
        <translation>Release</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="59"/>
        <source>Ký số phụ lục</source>
        <translation>Sign an appendix</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="60"/>
        <source>Ký số bản sao điện tử</source>
        <translation>Sign an electronic copy</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="61"/>
        <source>Ký số hàng loạt</source>
        <translation>Batch signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="94"/>
        <source>Chọn một văn bản iDesk trước.</source>
        <translation>Select an iDesk document first.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="96"/>
        <location filename="../../app/views/signing/role_actions.py" line="112"/>
        <source>Văn bản đang chọn không có tệp PDF để ký.</source>
        <translation>The selected document has no PDF file to sign.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="98"/>
        <source>Không làm được ở bước &quot;%1&quot; của văn bản.</source>
        <translation>Not possible while the document is at step &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="198"/>
        <source>Ký hiệu văn bản</source>
        <translation>Document symbol</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="199"/>
        <source>Ký hiệu (ví dụ KH-STTTT):</source>
        <translation>Symbol (e.g. KH-STTTT):</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="243"/>
        <source>Đã điền số %1 và ngày ban hành.</source>
        <translation>Number %1 and the release date were filled in.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="280"/>
        <source>Chưa có số văn bản: hãy điền số hoặc đóng dấu trước khi phát hành.</source>
        <translation>No document number yet: fill in the number or seal the document before releasing it.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="285"/>
        <source>Tệp đã ký của văn bản chưa gửi lên iDesk; hãy gửi xong rồi phát hành.</source>
        <translation>The document&apos;s signed file has not reached iDesk yet; send it before releasing.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="332"/>
        <source>Đang tải các văn bản chờ ký…</source>
        <translation>Downloading the documents waiting for signature…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="339"/>
        <source>Không có văn bản nào chờ ký.</source>
        <translation>No document is waiting for a signature.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="363"/>
        <source>Chọn các tệp PDF để ký</source>
        <translation>Choose the PDF files to sign</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="364"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>Tệp Word của văn bản chưa được chuyển sang PDF và ký, hoặc đã sửa sau khi ký: cần ký nháy hoặc ký lại bản PDF mới trước.</source>
        <translation>The document's Word file has not been converted to PDF and signed yet, or was edited after signing: the new PDF must be initialled or signed first.</translation>
    </message>
    <message>
        <source>Không chuyển được tệp Word sang PDF trên máy này.</source>
        <translation>Word files cannot be turned into PDF on this computer.</translation>
    </message>
    <message>
        <source>Đang chuyển &quot;%1&quot; sang PDF để ký…</source>
        <translation>Converting &quot;%1&quot; to PDF for signing…</translation>
    </message>
    <message>
        <source>Đang thực hiện…</source>
        <translation>Running…</translation>
    </message>
    <message>
        <source>%1 văn bản chưa có văn bản chính nên không được đưa vào ký hàng loạt.</source>
        <translation>%1 documents have no main document and were left out of the batch.</translation>
    </message>
    <message>
        <source>%1 văn bản soạn bằng Word chưa có bản PDF mới: hãy ký từng văn bản đó.</source>
        <translation>%1 documents drafted in Word have no up-to-date PDF yet: sign them one by one.</translation>
    </message>
</context>
<context>
    <name>SigningController</name>
    <message>
        <location filename="../../app/views/signing/controller.py" line="150"/>
        <source>Đang ký số…</source>
        <translation>Signing…</translation>
    </message>
</context>
<context>
    <name>SigningInstall</name>
    <message>
        <location filename="../../app/views/signing/install.py" line="108"/>
        <source>Ảnh ký số</source>
        <translation>Signature images</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/install.py" line="140"/>
        <source>Ảnh ký số…</source>
        <translation>Signature images…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/install.py" line="142"/>
        <source>Ký số</source>
        <translation>Signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/install.py" line="149"/>
        <source>Chữ ký số</source>
        <translation>Digital signatures</translation>
    </message>
</context>
<context>
    <name>RemoteWaitDialog</name>
    <message>
        <location filename="../../app/views/signing/remote.py" line="86"/>
        <source>Ký số từ xa</source>
        <translation>Remote signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/remote.py" line="95"/>
        <source>Mở ứng dụng ký số trên điện thoại, kiểm tra mã yêu cầu trùng với mã trên rồi bấm Đồng ý.</source>
        <translation>Open the signing app on your phone, check that the request code matches the one above, then approve.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/remote.py" line="97"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/remote.py" line="105"/>
        <source>Đang chờ xác nhận trên điện thoại… còn %1</source>
        <translation>Waiting for confirmation on the phone… %1 left</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/remote.py" line="106"/>
        <source>Mã yêu cầu: %1</source>
        <translation>Request code: %1</translation>
    </message>
</context>
<context>
    <name>TokenPicker</name>
    <message>
        <source>Không theo dõi được USB token: %1</source>
        <translation>USB tokens are not being followed: %1</translation>
    </message>
    <message>
        <source>Đang lấy danh sách chứng thư ký số từ xa…</source>
        <translation>Fetching the remote signing certificates…</translation>
    </message>
    <message>
        <source>Chứng thư ký số từ xa</source>
        <translation>Remote signing certificate</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/token_picker.py" line="64"/>
        <source>Chứng thư số để ký</source>
        <translation>Signing certificate</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/token_picker.py" line="66"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/token_picker.py" line="127"/>
        <source>Đang tìm token…</source>
        <translation>Looking for tokens…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/token_picker.py" line="144"/>
        <source>Tệp chứng thư %1 (tập huấn)</source>
        <translation>Certificate file %1 (training)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/token_picker.py" line="155"/>
        <source>Không tìm thấy token. Hãy cắm USB token vào máy.</source>
        <translation>No token found. Plug in your USB token.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/token_picker.py" line="148"/>
        <source>Ký số từ xa — %1</source>
        <translation>Remote signing — %1</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="57"/>
        <source>Loại tệp</source>
        <translation>Kind of file</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="64"/>
        <source>Tệp kết quả</source>
        <translation>Result file</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="39"/>
        <source>Chuyển đến phần mềm iGate</source>
        <translation>Transfer to iGate</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="49"/>
        <source>Văn bản: {summary}
Hồ sơ iGate nhận tệp: {code}</source>
        <translation>Document: {summary}
Receiving iGate dossier: {code}</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="57"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="57"/>
        <source>Phiên bản mới nhất</source>
        <translation>Latest version</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="57"/>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="71"/>
        <location filename="../../app/views/transfer_dialog.py" line="160"/>
        <source>Chọn các tệp cần chuyển sang hồ sơ iGate.</source>
        <translation>Choose the files to transfer to the iGate dossier.</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="72"/>
        <location filename="../../app/views/transfer_dialog.py" line="146"/>
        <location filename="../../app/views/transfer_dialog.py" line="158"/>
        <source>Chuyển</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="75"/>
        <location filename="../../app/views/transfer_dialog.py" line="147"/>
        <location filename="../../app/views/transfer_dialog.py" line="159"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="100"/>
        <source>Chuyển {n} tệp sang hồ sơ {code} trên iGate? Bấm “Xác nhận” để thực hiện.</source>
        <translation>Transfer {n} file(s) to dossier {code} in iGate? Press “Confirm” to go ahead.</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="104"/>
        <source>Xác nhận</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="105"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="118"/>
        <source>Đang chuyển tệp sang iGate…</source>
        <translation>Transferring files to iGate…</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="134"/>
        <source>Hoàn tất: đã đính kèm {n} tệp vào hồ sơ {code}.</source>
        <translation>Done: {n} file(s) attached to dossier {code}.</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="136"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/views/transfer_dialog.py" line="149"/>
        <source>Đã hủy.</source>
        <translation>Cancelled.</translation>
    </message>
</context>
<context>
    <name>VerificationPanel</name>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="34"/>
        <location filename="../../app/views/signing/verification_panel.py" line="80"/>
        <source>Chưa mở tệp.</source>
        <translation>No file open.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="40"/>
        <source>Danh sách chữ ký số</source>
        <translation>Digital signatures</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="59"/>
        <source>Đang kiểm tra chữ ký số…</source>
        <translation>Checking the signatures…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="91"/>
        <source>%1 — %2 chữ ký</source>
        <translation>%1 — %2 signature(s)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="93"/>
        <source>Tệp không có chữ ký số.</source>
        <translation>The file has no digital signature.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="103"/>
        <source>(không rõ)</source>
        <translation>(unknown)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="109"/>
        <source>không rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="110"/>
        <source>dấu thời gian</source>
        <translation>timestamp</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="110"/>
        <source>đồng hồ máy người ký</source>
        <translation>the signer&apos;s computer clock</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="113"/>
        <source>Cơ quan: %1</source>
        <translation>Organization: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="114"/>
        <source>Thời gian ký: %1 (%2)</source>
        <translation>Signing time: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="115"/>
        <source>Toàn vẹn: %1</source>
        <translation>Integrity: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="115"/>
        <source>nguyên vẹn</source>
        <translation>intact</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="116"/>
        <source>bị hỏng hoặc bị sửa</source>
        <translation>damaged or modified</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="118"/>
        <source>Thay đổi sau khi ký: %1</source>
        <translation>Changes after signing: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="119"/>
        <source>Chứng thư số: %1</source>
        <translation>Certificate: %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="122"/>
        <source>Trang %1</source>
        <translation>Page %1</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="128"/>
        <source>tin cậy</source>
        <translation>trusted</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="128"/>
        <source>chưa được tin cậy</source>
        <translation>not trusted</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="129"/>
        <source>đã bị thu hồi</source>
        <translation>revoked</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="129"/>
        <source>hết hạn hoặc chưa có hiệu lực</source>
        <translation>expired or not yet valid</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="130"/>
        <source>không xác định được</source>
        <translation>cannot be determined</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="136"/>
        <source>chỉ thêm chữ ký / điền biểu mẫu</source>
        <translation>only signatures added / form filled</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="137"/>
        <source>thêm ghi chú</source>
        <translation>annotations added</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="137"/>
        <source>nội dung bị sửa đổi</source>
        <translation>content modified</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/verification_panel.py" line="144"/>
        <source>Không kiểm tra được chữ ký: %1</source>
        <translation>The signatures could not be checked: %1</translation>
    </message>
    <message>
        <source>Bản PDF được tạo từ văn bản soạn thảo bằng %1.</source>
        <translation>The PDF was made from a word-processor document by %1.</translation>
    </message>
</context>
<context>
    <name>FileChoiceDialog</name>
    <message>
        <source>Chọn tệp để ký</source>
        <translation>Choose the file to sign</translation>
    </message>
    <message>
        <source>&quot;%1&quot; sẽ thực hiện trên tệp được chọn:</source>
        <translation>&quot;%1&quot; will act on the chosen file:</translation>
    </message>
    <message>
        <source>Tệp được chọn sẽ là văn bản chính của dự thảo: người ký sau sẽ ký đúng tệp này.</source>
        <translation>The chosen file becomes the draft's main document: the next signers sign this same file.</translation>
    </message>
</context>
<context>
    <name>NumberDialog</name>
    <message>
        <source>Đang lấy số tiếp theo trong sổ của ký hiệu %1…</source>
        <translation>Getting the next number of the %1 register…</translation>
    </message>
    <message>
        <source>Cấp số văn bản</source>
        <translation>Document number</translation>
    </message>
    <message>
        <source>Văn bản:</source>
        <translation>Document:</translation>
    </message>
    <message>
        <source>Số:</source>
        <translation>Number:</translation>
    </message>
    <message>
        <source>Ký hiệu:</source>
        <translation>Symbol:</translation>
    </message>
    <message>
        <source>Ngày ban hành:</source>
        <translation>Date:</translation>
    </message>
</context>
<context>
    <name>StepDialogs</name>
    <message>
        <source>Đồng ý</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RemoteOtpDialog</name>
    <message>
        <source>Mã OTP:</source>
        <translation>OTP:</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Xác nhận</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>Mã OTP</source>
        <translation>OTP</translation>
    </message>
    <message>
        <source>Mã OTP không đúng. Hãy nhập lại; nhập sai quá số lần cho phép chứng thư sẽ bị khóa.</source>
        <translation>The OTP is wrong. Enter it again; too many wrong codes lock the certificate.</translation>
    </message>
    <message>
        <source>Mã OTP đã hết hạn; một mã mới đã được gửi. Hãy nhập mã mới.</source>
        <translation>The OTP expired; a new one was sent. Enter the new code.</translation>
    </message>
    <message>
        <source>Mã OTP đã được gửi tới điện thoại của bạn. Nhập mã để ký bằng chứng thư %1 (%2).</source>
        <translation>An OTP was sent to your phone. Enter it to sign with the certificate %1 (%2).</translation>
    </message>
    <message>
        <source>Nhập mã OTP</source>
        <translation>Enter the OTP</translation>
    </message>
</context>
<context>
    <name>HolderWarning</name>
    <message>
        <location filename="../../app/views/signing/holder_check.py" line="51"/>
        <source>Chứng thư số không khớp</source>
        <translation>Certificate does not match</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/holder_check.py" line="53"/>
        <source>Vẫn ký bằng chứng thư số này?</source>
        <translation>Sign with this certificate anyway?</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/holder_check.py" line="57"/>
        <source>Vẫn ký</source>
        <translation>Sign anyway</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/holder_check.py" line="58"/>
        <source>Không ký</source>
        <translation>Do not sign</translation>
    </message>
</context>
</TS>
