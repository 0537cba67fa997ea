<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>BatchSignDialog</name>
    <message>
        <source>Ký số hàng loạt</source>
        <translation>Batch signing</translation>
    </message>
    <message>
        <source>Gắn nhãn thời gian (TSA)</source>
        <translation>Timestamp (TSA)</translation>
    </message>
    <message>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Ký các tệp đã chọn</source>
        <translation>Sign the ticked files</translation>
    </message>
    <message>
        <source>Hủy ký</source>
        <translation>Cancel signing</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Chứng thư số</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>Kiểu chữ ký</source>
        <translation>Signature type</translation>
    </message>
    <message>
        <source>Đang tìm vị trí chữ ký…</source>
        <translation>Finding where the signatures go…</translation>
    </message>
    <message>
        <source>Đã ký (PAdES %1)</source>
        <translation>Signed (PAdES %1)</translation>
    </message>
    <message>
        <source>Đã ký %1/%2 tệp.</source>
        <translation>Signed %1 of %2 files.</translation>
    </message>
    <message>
        <source>Đã ký; chưa gửi được lên iDesk (sẽ gửi lại sau): %1</source>
        <translation>Signed; not yet sent to iDesk (it will be sent later): %1</translation>
    </message>
    <message>
        <source>Đã ký và gửi lên iDesk (PAdES %1)</source>
        <translation>Signed and sent to iDesk (PAdES %1)</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Trang thu nhỏ</source>
        <translation>Thumbnails</translation>
    </message>
    <message>
        <source>Số trang</source>
        <translation>Page number</translation>
    </message>
    <message>
        <source>Thu nhỏ (Ctrl -)</source>
        <translation>Zoom out (Ctrl -)</translation>
    </message>
    <message>
        <source>Phóng to (Ctrl +)</source>
        <translation>Zoom in (Ctrl +)</translation>
    </message>
    <message>
        <source>Vừa chiều rộng</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <source>Vừa trang</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <source>Trang</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>Tệp PDF được bảo vệ bằng mật khẩu. Nhập mật khẩu để mở:</source>
        <translation>The PDF is password-protected. Enter the password to open it:</translation>
    </message>
    <message>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Nhập mã PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <source>Token: %1</source>
        <translation>Token: %1</translation>
    </message>
    <message>
        <source>Chứng thư số: %1</source>
        <translation>Certificate: %1</translation>
    </message>
    <message>
        <source>Lần thử cuối cùng: nhập sai một lần nữa token sẽ bị khóa.</source>
        <translation>Last try: one more wrong PIN locks the token.</translation>
    </message>
    <message>
        <source>Còn ít lần thử: token sẽ bị khóa nếu nhập sai thêm.</source>
        <translation>Few tries left: the token locks after more wrong PINs.</translation>
    </message>
    <message>
        <source>Còn %1 lần thử.</source>
        <translation>%1 tries left.</translation>
    </message>
    <message>
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Đồng ý</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Mã PIN:</source>
        <translation>PIN:</translation>
    </message>
</context>
<context>
    <name>PlacementOverlay</name>
    <message>
        <source>Chữ ký</source>
        <translation>Signature</translation>
    </message>
</context>
<context>
    <name>PlacementPanel</name>
    <message>
        <source>Chèn chữ ký</source>
        <translation>Place signature</translation>
    </message>
    <message>
        <source>Kéo vào trang, hoặc bấm rồi bấm vào trang để đặt chữ ký; kéo để di chuyển, kéo góc dưới phải để đổi kích thước</source>
        <translation>Drag onto a page, or click and then click a page to place the signature; drag to move it, drag the bottom-right corner to resize</translation>
    </message>
    <message>
        <source>Thêm chữ ký</source>
        <translation>Add a signature</translation>
    </message>
    <message>
        <source>Về vị trí đề xuất</source>
        <translation>Back to the proposed position</translation>
    </message>
    <message>
        <source>Hiển thị trên tất cả trang</source>
        <translation>Show on all pages</translation>
    </message>
    <message>
        <source>Danh sách chữ ký</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <source>Xóa</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Chữ ký trên trang %1</source>
        <translation>Signature on page %1</translation>
    </message>
</context>
<context>
    <name>PositionDialog</name>
    <message>
        <source>Chọn vị trí trước khi ký số — %1</source>
        <translation>Choose the position before signing — %1</translation>
    </message>
    <message>
        <source>Lưu vị trí</source>
        <translation>Save position</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Vị trí được dùng cho các văn bản cùng hình thức "%1".</source>
        <translation>The position is used for documents of the same form "%1".</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Ký số token — %1</source>
        <translation>Token signing — %1</translation>
    </message>
    <message>
        <source>Hiển thị ảnh chữ ký</source>
        <translation>Show the signature image</translation>
    </message>
    <message>
        <source>Ký bởi</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <source>Thời gian ký</source>
        <translation>Signing time</translation>
    </message>
    <message>
        <source>Cơ quan</source>
        <translation>Organization</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Nội dung chữ ký hiển thị</source>
        <translation>Visible signature content</translation>
    </message>
    <message>
        <source>Cỡ chữ</source>
        <translation>Font size</translation>
    </message>
    <message>
        <source>Gắn nhãn thời gian (TSA)</source>
        <translation>Timestamp (TSA)</translation>
    </message>
    <message>
        <source>Địa chỉ TSA</source>
        <translation>TSA address</translation>
    </message>
    <message>
        <source>Tài khoản</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Áp dụng</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Hủy ký</source>
        <translation>Cancel signing</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Chứng thư số</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>Đã ký và gửi tệp lên máy chủ.</source>
        <translation>Signed and uploaded to the server.</translation>
    </message>
    <message>
        <source>Đã ký; chưa gửi được tệp lên máy chủ, tệp được giữ lại để gửi sau: %1</source>
        <translation>Signed; the upload failed, the file is kept to send later: %1</translation>
    </message>
    <message>
        <source>Đang chờ nhập mã PIN…</source>
        <translation>Waiting for the PIN…</translation>
    </message>
    <message>
        <source>Đã ký số (PAdES %1): %2</source>
        <translation>Signed (PAdES %1): %2</translation>
    </message>
    <message>
        <source>Đã hủy ký số.</source>
        <translation>Signing cancelled.</translation>
    </message>
    <message>
        <source>Mật khẩu tệp PDF</source>
        <translation>PDF password</translation>
    </message>
</context>
<context>
    <name>SignatureImagePage</name>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Ảnh chữ ký (PNG nền trong suốt):</source>
        <translation>Signature image (PNG, transparent background):</translation>
    </message>
    <message>
        <source>Độ rộng mặc định của chữ ký:</source>
        <translation>Default signature width:</translation>
    </message>
    <message>
        <source>Ảnh con dấu (văn thư):</source>
        <translation>Seal image (clerk):</translation>
    </message>
    <message>
        <source>Kích thước dấu:</source>
        <translation>Seal size:</translation>
    </message>
    <message>
        <source>Chọn ảnh…</source>
        <translation>Choose an image…</translation>
    </message>
    <message>
        <source>Chọn ảnh</source>
        <translation>Choose an image</translation>
    </message>
    <message>
        <source>Ảnh PNG (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>Không đọc được ảnh.</source>
        <translation>The image cannot be read.</translation>
    </message>
</context>
<context>
    <name>SigningActions</name>
    <message>
        <source>Ký nháy</source>
        <translation>Initial</translation>
    </message>
    <message>
        <source>Ký số token</source>
        <translation>Sign with token</translation>
    </message>
    <message>
        <source>Chọn vị trí trước khi ký số</source>
        <translation>Choose the position before signing</translation>
    </message>
    <message>
        <source>Chuyển Văn thư</source>
        <translation>Send to the clerk</translation>
    </message>
    <message>
        <source>Chỉ điền số KH, ngày tháng năm</source>
        <translation>Only fill in the number and date</translation>
    </message>
    <message>
        <source>Ký số cơ quan (đóng dấu)</source>
        <translation>Sign with the organization's seal</translation>
    </message>
    <message>
        <source>Phát hành</source>
        <translation>Release</translation>
    </message>
    <message>
        <source>Ký số phụ lục</source>
        <translation>Sign an appendix</translation>
    </message>
    <message>
        <source>Ký số hàng loạt</source>
        <translation>Batch signing</translation>
    </message>
    <message>
        <source>Chọn một văn bản iDesk trước.</source>
        <translation>Select an iDesk document first.</translation>
    </message>
    <message>
        <source>Văn bản đang chọn không có tệp PDF để ký.</source>
        <translation>The selected document has no PDF file to sign.</translation>
    </message>
    <message>
        <source>Không làm được ở bước "%1" của văn bản.</source>
        <translation>Not possible while the document is at step "%1".</translation>
    </message>
    <message>
        <source>Ký hiệu văn bản</source>
        <translation>Document symbol</translation>
    </message>
    <message>
        <source>Ký hiệu (ví dụ KH-STTTT):</source>
        <translation>Symbol (e.g. KH-STTTT):</translation>
    </message>
    <message>
        <source>Đã điền số %1 và ngày ban hành.</source>
        <translation>Number %1 and the release date were filled in.</translation>
    </message>
    <message>
        <source>Chưa có số văn bản: hãy điền số hoặc đóng dấu trước khi phát hành.</source>
        <translation>No document number yet: fill in the number or seal the document before releasing it.</translation>
    </message>
    <message>
        <source>Đang tải các văn bản chờ ký…</source>
        <translation>Downloading the documents waiting for signature…</translation>
    </message>
    <message>
        <source>Không có văn bản nào chờ ký.</source>
        <translation>No document is waiting for a signature.</translation>
    </message>
    <message>
        <source>Chọn các tệp PDF để ký</source>
        <translation>Choose the PDF files to sign</translation>
    </message>
    <message>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>SigningController</name>
    <message>
        <source>Đang ký số…</source>
        <translation>Signing…</translation>
    </message>
</context>
<context>
    <name>SigningInstall</name>
    <message>
        <source>Ảnh ký số</source>
        <translation>Signature images</translation>
    </message>
    <message>
        <source>Ảnh ký số…</source>
        <translation>Signature images…</translation>
    </message>
    <message>
        <source>Ký số</source>
        <translation>Signing</translation>
    </message>
    <message>
        <source>Chữ ký số</source>
        <translation>Digital signatures</translation>
    </message>
</context>
<context>
    <name>TokenPicker</name>
    <message>
        <source>Chứng thư số để ký</source>
        <translation>Signing certificate</translation>
    </message>
    <message>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Đang tìm token…</source>
        <translation>Looking for tokens…</translation>
    </message>
    <message>
        <source>Tệp chứng thư %1 (tập huấn)</source>
        <translation>Certificate file %1 (training)</translation>
    </message>
    <message>
        <source>Không tìm thấy token. Hãy cắm USB token vào máy.</source>
        <translation>No token found. Plug in your USB token.</translation>
    </message>
</context>
<context>
    <name>VerificationPanel</name>
    <message>
        <source>Chưa mở tệp.</source>
        <translation>No file open.</translation>
    </message>
    <message>
        <source>Danh sách chữ ký số</source>
        <translation>Digital signatures</translation>
    </message>
    <message>
        <source>Đang kiểm tra chữ ký số…</source>
        <translation>Checking the signatures…</translation>
    </message>
    <message>
        <source>%1 — %2 chữ ký</source>
        <translation>%1 — %2 signature(s)</translation>
    </message>
    <message>
        <source>Tệp không có chữ ký số.</source>
        <translation>The file has no digital signature.</translation>
    </message>
    <message>
        <source>(không rõ)</source>
        <translation>(unknown)</translation>
    </message>
    <message>
        <source>không rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>dấu thời gian</source>
        <translation>timestamp</translation>
    </message>
    <message>
        <source>đồng hồ máy người ký</source>
        <translation>the signer's computer clock</translation>
    </message>
    <message>
        <source>Cơ quan: %1</source>
        <translation>Organization: %1</translation>
    </message>
    <message>
        <source>Thời gian ký: %1 (%2)</source>
        <translation>Signing time: %1 (%2)</translation>
    </message>
    <message>
        <source>Toàn vẹn: %1</source>
        <translation>Integrity: %1</translation>
    </message>
    <message>
        <source>nguyên vẹn</source>
        <translation>intact</translation>
    </message>
    <message>
        <source>bị hỏng hoặc bị sửa</source>
        <translation>damaged or modified</translation>
    </message>
    <message>
        <source>Thay đổi sau khi ký: %1</source>
        <translation>Changes after signing: %1</translation>
    </message>
    <message>
        <source>Chứng thư số: %1</source>
        <translation>Certificate: %1</translation>
    </message>
    <message>
        <source>Trang %1</source>
        <translation>Page %1</translation>
    </message>
    <message>
        <source>tin cậy</source>
        <translation>trusted</translation>
    </message>
    <message>
        <source>chưa được tin cậy</source>
        <translation>not trusted</translation>
    </message>
    <message>
        <source>đã bị thu hồi</source>
        <translation>revoked</translation>
    </message>
    <message>
        <source>hết hạn hoặc chưa có hiệu lực</source>
        <translation>expired or not yet valid</translation>
    </message>
    <message>
        <source>không xác định được</source>
        <translation>cannot be determined</translation>
    </message>
    <message>
        <source>chỉ thêm chữ ký / điền biểu mẫu</source>
        <translation>only signatures added / form filled</translation>
    </message>
    <message>
        <source>thêm ghi chú</source>
        <translation>annotations added</translation>
    </message>
    <message>
        <source>nội dung bị sửa đổi</source>
        <translation>content modified</translation>
    </message>
    <message>
        <source>Không kiểm tra được chữ ký: %1</source>
        <translation>The signatures could not be checked: %1</translation>
    </message>
</context>
</TS>