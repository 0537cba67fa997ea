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
    <name>SignDialog</name>
    <message>
        <location filename="../../app/views/signing/sign_dialog.py" line="65"/>
        <source>Ký số token — %1</source>
        <translation>Token signing — %1</translation>
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
        <location filename="../../app/views/signing/role_actions.py" line="73"/>
        <source>Ký nháy</source>
        <translation>Initial</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="74"/>
        <source>Ký số token</source>
        <translation>Sign with token</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="75"/>
        <source>Chọn vị trí trước khi ký số</source>
        <translation>Choose the position before signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="76"/>
        <source>Chuyển Văn thư</source>
        <translation>Send to the clerk</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="77"/>
        <source>Chỉ điền số KH, ngày tháng năm</source>
        <translation>Only fill in the number and date</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="78"/>
        <source>Ký số cơ quan (đóng dấu)</source>
        <translation>Sign with the organization&apos;s seal</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="79"/>
        <source>Phát hành</source>
        <translation>Release</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="80"/>
        <source>Ký số phụ lục</source>
        <translation>Sign an appendix</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="81"/>
        <source>Ký số bản sao điện tử</source>
        <translation>Sign an electronic copy</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="82"/>
        <source>Ký số hàng loạt</source>
        <translation>Batch signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="115"/>
        <source>Chọn một văn bản iDesk trước.</source>
        <translation>Select an iDesk document first.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="117"/>
        <location filename="../../app/views/signing/role_actions.py" line="133"/>
        <source>Văn bản đang chọn không có tệp PDF để ký.</source>
        <translation>The selected document has no PDF file to sign.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="119"/>
        <source>Không làm được ở bước &quot;%1&quot; của văn bản.</source>
        <translation>Not possible while the document is at step &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="219"/>
        <source>Ký hiệu văn bản</source>
        <translation>Document symbol</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="220"/>
        <source>Ký hiệu (ví dụ KH-STTTT):</source>
        <translation>Symbol (e.g. KH-STTTT):</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="264"/>
        <source>Đã điền số %1 và ngày ban hành.</source>
        <translation>Number %1 and the release date were filled in.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="301"/>
        <source>Chưa có số văn bản: hãy điền số hoặc đóng dấu trước khi phát hành.</source>
        <translation>No document number yet: fill in the number or seal the document before releasing it.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="306"/>
        <source>Tệp đã ký của văn bản chưa gửi lên iDesk; hãy gửi xong rồi phát hành.</source>
        <translation>The document&apos;s signed file has not reached iDesk yet; send it before releasing.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="353"/>
        <source>Đang tải các văn bản chờ ký…</source>
        <translation>Downloading the documents waiting for signature…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="360"/>
        <source>Không có văn bản nào chờ ký.</source>
        <translation>No document is waiting for a signature.</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="384"/>
        <source>Chọn các tệp PDF để ký</source>
        <translation>Choose the PDF files to sign</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/role_actions.py" line="385"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
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
        <location filename="../../app/views/signing/install.py" line="106"/>
        <source>Ảnh ký số</source>
        <translation>Signature images</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/install.py" line="138"/>
        <source>Ảnh ký số…</source>
        <translation>Signature images…</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/install.py" line="140"/>
        <source>Ký số</source>
        <translation>Signing</translation>
    </message>
    <message>
        <location filename="../../app/views/signing/install.py" line="147"/>
        <source>Chữ ký số</source>
        <translation>Digital signatures</translation>
    </message>
</context>
<context>
    <name>TokenPicker</name>
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
</context>
</TS>
